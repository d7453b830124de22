// Options of HookedGpt2.generate (TL generate's keyword arguments): length, sampling, stopping, cache, hooks.
package dev.jlens.model;

import dev.jlens.hooks.FwdHook;
import java.util.List;

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
        return new GenerateOptions(n, temperature, topK, topP, seed, stopAtEos, eosTokenId, useKvCache, prependBos,
                hooks, onStep);
    }

    /** A copy with temperature {@code t} (0 greedy). @param t the temperature @return the copy */
    public GenerateOptions temperature(double t) {
        return new GenerateOptions(maxNewTokens, t, topK, topP, seed, stopAtEos, eosTokenId, useKvCache, prependBos,
                hooks, onStep);
    }

    /** A greedy copy: temperature 0. @return the copy */
    public GenerateOptions greedy() {
        return temperature(0);
    }

    /** A copy sampling among the k most likely tokens. @param k at least 1 @return the copy */
    public GenerateOptions topK(int k) {
        return new GenerateOptions(maxNewTokens, temperature, k, topP, seed, stopAtEos, eosTokenId, useKvCache,
                prependBos, hooks, onStep);
    }

    /** A copy sampling from the top-p nucleus. @param p in (0, 1] @return the copy */
    public GenerateOptions topP(double p) {
        return new GenerateOptions(maxNewTokens, temperature, topK, p, seed, stopAtEos, eosTokenId, useKvCache,
                prependBos, hooks, onStep);
    }

    /** A copy with the sampler's seed. @param s the seed @return the copy */
    public GenerateOptions seed(long s) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, s, stopAtEos, eosTokenId, useKvCache,
                prependBos, hooks, onStep);
    }

    /** A copy where a row stops at EOS or not. @param stop true to stop @return the copy */
    public GenerateOptions stopAtEos(boolean stop) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stop, eosTokenId, useKvCache,
                prependBos, hooks, onStep);
    }

    /** A copy with the EOS id (default: the tokenizer's). @param id the id @return the copy */
    public GenerateOptions eosTokenId(int id) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, id, useKvCache,
                prependBos, hooks, onStep);
    }

    /** A copy with the KV cache on or off. @param use true to use it @return the copy */
    public GenerateOptions useKvCache(boolean use) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, eosTokenId, use,
                prependBos, hooks, onStep);
    }

    /** A copy where text prompts start with BOS or not. @param prepend true for BOS @return the copy */
    public GenerateOptions prependBos(boolean prepend) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, eosTokenId, useKvCache,
                prepend, hooks, onStep);
    }

    /** A copy with hooks active during the generation only. @param fwdHooks the hooks @return the copy */
    public GenerateOptions hooks(List<FwdHook> fwdHooks) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, eosTokenId, useKvCache,
                prependBos, fwdHooks, onStep);
    }

    /** A copy streaming each step's tokens. @param stream the callback @return the copy */
    public GenerateOptions onStep(TokenStream stream) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, seed, stopAtEos, eosTokenId, useKvCache,
                prependBos, hooks, stream);
    }
}
