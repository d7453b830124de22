// Options of HookedGpt2.generate (TL generate's keyword arguments): length, sampling, stopping, cache, hooks.
package dev.jlens.model;

import dev.jlens.hooks.FwdHook;
import java.util.List;
import java.util.function.Consumer;

/**
 * How {@link HookedGpt2#generate} continues prompts: start from {@link #defaults()} and change options with the
 * methods named after them, each returning a checked copy, e.g. {@code defaults().greedy().maxNewTokens(20)}.
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

    /** Checks the values; hooks are copied. */
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

    /** The defaults: 10 tokens, temperature 1, no top-k/top-p, seed 0, stop at EOS, KV cache, BOS, no hooks. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(10, 1, null, null, 0, true, null, true, true, List.of(), null);
    }

    /** A copy adding at most {@code n} tokens (at least 1). @param n tokens @return the copy */
    public GenerateOptions maxNewTokens(int n) {
        return with(o -> o.maxNewTokens = n);
    }

    /** A copy with temperature {@code t} (0 greedy). @param t the temperature @return the copy */
    public GenerateOptions temperature(double t) {
        return with(o -> o.temperature = t);
    }

    /** A greedy copy: temperature 0. @return the copy */
    public GenerateOptions greedy() {
        return temperature(0);
    }

    /** A copy sampling among the k most likely tokens. @param k at least 1 @return the copy */
    public GenerateOptions topK(int k) {
        return with(o -> o.topK = k);
    }

    /** A copy sampling from the top-p nucleus. @param p in (0, 1] @return the copy */
    public GenerateOptions topP(double p) {
        return with(o -> o.topP = p);
    }

    /** A copy with the sampler's seed. @param s the seed @return the copy */
    public GenerateOptions seed(long s) {
        return with(o -> o.seed = s);
    }

    /** A copy where a row stops at EOS or not. @param stop true to stop @return the copy */
    public GenerateOptions stopAtEos(boolean stop) {
        return with(o -> o.stopAtEos = stop);
    }

    /** A copy with the EOS id (default: the tokenizer's). @param id the id @return the copy */
    public GenerateOptions eosTokenId(int id) {
        return with(o -> o.eosTokenId = id);
    }

    /** A copy with the KV cache on or off. @param use true to use it @return the copy */
    public GenerateOptions useKvCache(boolean use) {
        return with(o -> o.useKvCache = use);
    }

    /** A copy where text prompts start with BOS or not. @param prepend true for BOS @return the copy */
    public GenerateOptions prependBos(boolean prepend) {
        return with(o -> o.prependBos = prepend);
    }

    /** A copy with hooks active during the generation only. @param fwdHooks the hooks @return the copy */
    public GenerateOptions hooks(List<FwdHook> fwdHooks) {
        return with(o -> o.hooks = fwdHooks);
    }

    /** A copy streaming each step's tokens. @param stream the callback @return the copy */
    public GenerateOptions onStep(TokenStream stream) {
        return with(o -> o.onStep = stream);
    }

    /** A checked copy of these options after {@code change} sets some of their values. */
    private GenerateOptions with(Consumer<Values> change) {
        Values v = new Values(this);
        change.accept(v);
        return new GenerateOptions(v.maxNewTokens, v.temperature, v.topK, v.topP, v.seed, v.stopAtEos, v.eosTokenId,
                v.useKvCache, v.prependBos, v.hooks, v.onStep);
    }

    /** The record's values as mutable fields, for {@link #with}. */
    private static final class Values {
        private int maxNewTokens;
        private double temperature;
        private Integer topK;
        private Double topP;
        private long seed;
        private boolean stopAtEos;
        private Integer eosTokenId;
        private boolean useKvCache;
        private boolean prependBos;
        private List<FwdHook> hooks;
        private TokenStream onStep;

        private Values(GenerateOptions o) {
            maxNewTokens = o.maxNewTokens;
            temperature = o.temperature;
            topK = o.topK;
            topP = o.topP;
            seed = o.seed;
            stopAtEos = o.stopAtEos;
            eosTokenId = o.eosTokenId;
            useKvCache = o.useKvCache;
            prependBos = o.prependBos;
            hooks = o.hooks;
            onStep = o.onStep;
        }
    }
}
