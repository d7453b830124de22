// Options of HookedGpt2.generate (TL generate's keyword arguments): length, sampling, stopping, cache, hooks.
package dev.jlens.model;

import dev.jlens.hooks.FwdHook;
import java.util.List;

/**
 * How {@link HookedGpt2#generate} continues prompts. Build with {@link #builder()}; every value is checked there.
 *
 * @param maxNewTokens how many tokens to add at most (TL max_new_tokens, default 10)
 * @param temperature  logits are divided by it before sampling; 0 is greedy argmax (default 1)
 * @param topK         sample only among the k most likely tokens (ties at the k-th logit kept); null: all
 * @param topP         sample only from the smallest set of most likely tokens whose probability reaches p, in (0,
 *                     1]; null: all. With topK too, top-k applies first (HF's order; TL uses top-k alone then)
 * @param seed         seed of the sampler's random numbers: the same seed and inputs give the same tokens
 * @param stopAtEos    a row that emits EOS is finished and receives EOS from then on; generation ends when every
 *                     row is finished (default true)
 * @param eosTokenId   the EOS id, or null for the tokenizer's
 * @param useKvCache   run each new token alone against cached keys and values (default true); false reruns the
 *                     whole sequence every step, with the same tokens
 * @param prependBos   for text prompts: whether each row starts with BOS (default true)
 * @param hooks        hooks attached for this generation only, on top of the model's persistent hooks
 * @param onStep       called after every step with the step number and the token each row received; or null
 */
public record GenerateOptions(int maxNewTokens, double temperature, Integer topK, Double topP, long seed,
        boolean stopAtEos, Integer eosTokenId, boolean useKvCache, boolean prependBos, List<FwdHook> hooks,
        TokenStream onStep) {

    /** Receives the tokens of one step as they come (TL generate_stream). */
    @FunctionalInterface
    public interface TokenStream {
        /**
         * Called once per step, on the generating thread.
         *
         * @param step   0 for the first new token
         * @param tokens the token each row received at this step, [batch] (EOS for finished rows)
         */
        void accept(int step, int[] tokens);
    }

    /** Checks the values (see {@link Builder}); hooks are copied. */
    public GenerateOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be at least 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 is greedy), got "
                    + temperature);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("top_k must be at least 1, got " + topK);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        hooks = List.copyOf(hooks);
    }

    /** A builder holding the defaults: 10 tokens, temperature 1, no top-k/top-p, seed 0, stop at EOS, KV cache. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects options; {@link #build()} checks them. */
    public static final class Builder {
        private int maxNewTokens = 10;
        private double temperature = 1;
        private Integer topK;
        private Double topP;
        private long seed;
        private boolean stopAtEos = true;
        private Integer eosTokenId;
        private boolean useKvCache = true;
        private boolean prependBos = true;
        private List<FwdHook> hooks = List.of();
        private TokenStream onStep;

        private Builder() {}

        /** Sets how many tokens to add at most. @param n at least 1 @return this */
        public Builder maxNewTokens(int n) {
            this.maxNewTokens = n;
            return this;
        }

        /** Sets the temperature. @param t 0 for greedy @return this */
        public Builder temperature(double t) {
            this.temperature = t;
            return this;
        }

        /** Greedy decoding: temperature 0. @return this */
        public Builder greedy() {
            return temperature(0);
        }

        /** Samples among the k most likely tokens. @param k at least 1 @return this */
        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        /** Samples from the top-p nucleus. @param p in (0, 1] @return this */
        public Builder topP(double p) {
            this.topP = p;
            return this;
        }

        /** Seeds the sampler. @param s the seed @return this */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Sets whether a row stops at EOS. @param stop true to stop @return this */
        public Builder stopAtEos(boolean stop) {
            this.stopAtEos = stop;
            return this;
        }

        /** Sets the EOS id (default: the tokenizer's). @param id the id @return this */
        public Builder eosTokenId(int id) {
            this.eosTokenId = id;
            return this;
        }

        /** Turns the KV cache on or off. @param use true to use it @return this */
        public Builder useKvCache(boolean use) {
            this.useKvCache = use;
            return this;
        }

        /** Sets whether text prompts start with BOS. @param prepend true for BOS @return this */
        public Builder prependBos(boolean prepend) {
            this.prependBos = prepend;
            return this;
        }

        /** Sets hooks active during this generation only. @param fwdHooks the hooks @return this */
        public Builder hooks(List<FwdHook> fwdHooks) {
            this.hooks = fwdHooks;
            return this;
        }

        /** Streams each step's tokens. @param stream the callback @return this */
        public Builder onStep(TokenStream stream) {
            this.onStep = stream;
            return this;
        }

        /** Checks and returns the options. @return the options */
        public GenerateOptions build() {
            return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, eosTokenId, useKvCache,
                    prependBos, hooks, onStep);
        }
    }
}
