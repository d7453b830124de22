// The loop of HookedGpt2.generate (TL generate): sample a token per row, append it, repeat; with or without a KV cache.
package dev.jlens.model;

import dev.jlens.hooks.HookHandle;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy or sampled generation from left-padded prompts [batch][prompt_len]. With the cache, the prompt runs once and
 * each step runs only the new token [batch][1] against the cached keys and values; without it, every step reruns the
 * whole sequence. Both feed the model the same tokens, mask and positions (pads at the left are masked and the
 * positions of each row count from its first real token), so they give the same tokens up to float rounding.
 */
final class Generation {
    private Generation() {}

    /** Text prompts: tokenized (BOS first unless {@code o.prependBos()} is false), left-padded, then generated. */
    static Generated fromText(HookedGpt2 model, List<String> prompts, GenerateOptions o) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("generate needs at least one prompt");
        }
        TokenBatch batch = model.tokenizer().toTokens(prompts, o.prependBos(), PaddingSide.LEFT);
        for (int b = 0; b < prompts.size(); b++) {
            if (Arrays.stream(batch.attentionMask()[b]).sum() == 0) {
                throw new IllegalArgumentException("prompt " + b + " (\"" + prompts.get(b) + "\") tokenizes to no "
                        + "tokens; give some text or prepend BOS");
            }
        }
        return run(model, batch.ids(), batch.attentionMask(), o);
    }

    /** Generates after {@code prompt} [batch][pos]; {@code mask} [batch][pos] marks real tokens (null: all). */
    static Generated run(HookedGpt2 model, int[][] prompt, int[][] mask, GenerateOptions o) {
        int[][] promptMask = allOnes(mask) ? null : mask;
        check(model, prompt, promptMask, o);
        int eos = eosId(model, o);
        int batch = prompt.length;
        Sampler sampler = new Sampler(o);
        List<int[]> steps = new ArrayList<>(); // [steps][batch]
        boolean[] finished = new boolean[batch];
        KvCache cache = o.useKvCache() ? new KvCache(model.cfg(), batch, prompt[0].length + o.maxNewTokens()) : null;
        try (HookHandle scope = model.hooks(o.hooks())) {
            Tensor logits = cache != null ? model.forward(prompt, promptMask, cache)
                    : model.forward(prompt, options(promptMask, 0)).logits(); // [batch, n, d_vocab]
            for (int step = 0; step < o.maxNewTokens(); step++) {
                int[] next = new int[batch];
                Tensor last = logits.select(1, logits.size(1) - 1); // [batch, d_vocab]
                for (int b = 0; b < batch; b++) {
                    next[b] = finished[b] ? eos : sampler.sample(last.select(0, b).toArray());
                    finished[b] |= o.stopAtEos() && next[b] == eos;
                }
                steps.add(next);
                if (o.onStep() != null) {
                    o.onStep().accept(step, next.clone());
                }
                if (allTrue(finished) || step == o.maxNewTokens() - 1) {
                    break;
                }
                logits = cache != null ? model.forward(column(next), null, cache)
                        : model.forward(sequence(prompt, steps), options(promptMask, steps.size())).logits();
            }
        }
        int[][] newTokens = new int[batch][steps.size()];
        for (int s = 0; s < steps.size(); s++) {
            for (int b = 0; b < batch; b++) {
                newTokens[b][s] = steps.get(s)[b];
            }
        }
        return new Generated(prompt, promptMask, newTokens, o.stopAtEos() ? eos : -1);
    }

    /** Refuses, before any work, prompts that are empty, ragged, right-padded or too long for n_ctx. */
    private static void check(HookedGpt2 model, int[][] prompt, int[][] mask, GenerateOptions o) {
        if (prompt == null || prompt.length == 0 || prompt[0].length == 0) {
            throw new IllegalArgumentException("generate needs a non-empty prompt [batch][pos], got "
                    + (prompt == null ? "null" : prompt.length == 0 ? "no rows" : "rows of 0 tokens"));
        }
        int total = prompt[0].length + o.maxNewTokens();
        if (total > model.cfg().nCtx()) {
            throw new IllegalArgumentException("a prompt of " + prompt[0].length + " tokens plus max_new_tokens "
                    + o.maxNewTokens() + " makes " + total + " positions, more than n_ctx " + model.cfg().nCtx()
                    + " of " + model.cfg().modelName());
        }
        for (int b = 0; mask != null && b < mask.length; b++) {
            if (mask[b].length > 0 && mask[b][mask[b].length - 1] == 0) {
                throw new IllegalArgumentException("prompt row " + b + " ends with a pad: generate needs left "
                        + "padding (pads first, each row's last token real)");
            }
        }
    }

    private static int eosId(HookedGpt2 model, GenerateOptions o) {
        if (o.eosTokenId() != null) {
            return o.eosTokenId();
        }
        if (!o.stopAtEos()) {
            return -1;
        }
        try {
            return model.tokenizer().eosTokenId();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("stop_at_eos needs an EOS id, and " + e.getMessage()
                    + "; pass eosTokenId or stopAtEos(false)");
        }
    }

    /** Forward options for the prompt plus {@code added} generated tokens: the prompt's mask, ones after it. */
    private static RunOptions options(int[][] promptMask, int added) {
        if (promptMask == null) {
            return RunOptions.defaults();
        }
        int[][] mask = new int[promptMask.length][];
        for (int b = 0; b < mask.length; b++) {
            mask[b] = Arrays.copyOf(promptMask[b], promptMask[b].length + added);
            Arrays.fill(mask[b], promptMask[b].length, mask[b].length, 1);
        }
        return RunOptions.defaults().withAttentionMask(mask);
    }

    /** The prompt followed by the generated steps: [batch][pos + steps]. */
    private static int[][] sequence(int[][] prompt, List<int[]> steps) {
        int[][] all = new int[prompt.length][];
        for (int b = 0; b < prompt.length; b++) {
            all[b] = Arrays.copyOf(prompt[b], prompt[b].length + steps.size());
            for (int s = 0; s < steps.size(); s++) {
                all[b][prompt[b].length + s] = steps.get(s)[b];
            }
        }
        return all;
    }

    private static int[][] column(int[] next) {
        int[][] col = new int[next.length][1];
        for (int b = 0; b < next.length; b++) {
            col[b][0] = next[b];
        }
        return col;
    }

    private static boolean allOnes(int[][] mask) {
        return mask == null || Arrays.stream(mask).allMatch(row -> Arrays.stream(row).allMatch(m -> m != 0));
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }
}
