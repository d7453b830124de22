// TransformerLens' patching module: get_act_patch_* sweeps, generic_activation_patch and the *_every stacks.
package dev.jlens.model.patching;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * Activation patching as in TransformerLens (patching.py): for each index of a {@link PatchType}, run the corrupted
 * tokens with the activation at that index (layer, position, head) taken from the clean run, and record the
 * metric. Results have TL's axes and shapes. {@code fast = false} is TL's loop, one full hooked forward per patch;
 * {@code fast = true} returns the same numbers (to float rounding, 1e-5 in the tests) with much less work (see
 * {@link FastPatcher}), and refuses a model that carries hooks. Long sweeps draw a progress bar on stderr when it
 * is a terminal. Nothing passed in is modified, and no hook stays attached, even when the metric throws.
 */
public final class Patching {
    /** Every activation a sweep can patch, for the clean cache. */
    private static final NameFilter PATCHABLE = name -> name.endsWith("hook_resid_pre")
            || name.endsWith("hook_resid_mid") || name.endsWith("hook_attn_out") || name.endsWith("hook_mlp_out")
            || name.matches(".*attn\\.hook_[qkvz]") || name.endsWith("hook_pattern");

    /** The sweeps of get_act_patch_block_every, in its order. */
    static final List<PatchType> BLOCK_EVERY = List.of(PatchType.RESID_PRE, PatchType.ATTN_OUT, PatchType.MLP_OUT);
    /** The sweeps of get_act_patch_attn_head_all_pos_every, in its order. */
    static final List<PatchType> HEAD_ALL_POS_EVERY = List.of(PatchType.ATTN_HEAD_OUT_ALL_POS,
            PatchType.ATTN_HEAD_Q_ALL_POS, PatchType.ATTN_HEAD_K_ALL_POS, PatchType.ATTN_HEAD_V_ALL_POS,
            PatchType.ATTN_HEAD_PATTERN_ALL_POS);
    /** The sweeps of get_act_patch_attn_head_by_pos_every, in its order. */
    static final List<PatchType> HEAD_BY_POS_EVERY = List.of(PatchType.ATTN_HEAD_OUT_BY_POS,
            PatchType.ATTN_HEAD_Q_BY_POS, PatchType.ATTN_HEAD_K_BY_POS, PatchType.ATTN_HEAD_V_BY_POS,
            PatchType.ATTN_HEAD_PATTERN_BY_POS);

    private Patching() {}

    /** The clean run's patchable activations; clean and corrupted tokens must have the same [batch, pos] shape. */
    public static ActivationCache cleanCache(HookedGpt2 model, int[][] clean, int[][] corrupted) {
        return cleanCache(model, clean, corrupted, null);
    }

    /**
     * The clean run's patchable activations for padded prompts: {@code mask} [batch][pos] marks the real tokens of
     * both clean and corrupted rows (left-pad each clean/corrupted pair to the same positions; null: all real).
     */
    public static ActivationCache cleanCache(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask) {
        return cleanActivations(model, clean, corrupted, mask, PATCHABLE);
    }

    /** The clean run's activations passing {@code names}, after the same shape check. */
    static ActivationCache cleanActivations(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            NameFilter names) {
        if (clean == null || corrupted == null || clean.length != corrupted.length || clean.length == 0
                || clean[0].length != corrupted[0].length) {
            throw new IllegalArgumentException("clean tokens " + shape(clean) + " and corrupted tokens "
                    + shape(corrupted) + " must have the same [batch, pos] shape: patching swaps activations "
                    + "position by position");
        }
        return model.runWithCache(clean, names, false, RunOptions.defaults().withAttentionMask(mask)
                .returning(ReturnType.NONE)).cache();
    }

    /** The full sweep {@code type} of clean into corrupted tokens; shape as TL's get_act_patch_* returns. */
    public static Tensor actPatch(HookedGpt2 model, int[][] clean, int[][] corrupted, PatchMetric metric,
            PatchType type, boolean fast) {
        return actPatch(model, clean, corrupted, null, metric, type, fast);
    }

    /**
     * The full sweep {@code type} of padded prompts: {@code mask} [batch][pos] (1 real, 0 pad) applies to the clean
     * and every patched run, in the naive and the fast loop alike; a patch at a pad position changes nothing.
     */
    public static Tensor actPatch(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            PatchMetric metric, PatchType type, boolean fast) {
        float[] values = genericPatch(model, corrupted, mask, cleanCache(model, clean, corrupted, mask), metric,
                type, null, fast);
        return Tensor.of(values, type.setter().axisSizes(model.cfg().nLayers(), corrupted[0].length,
                model.cfg().nHeads()));
    }

    /** The full sweep {@code type} with a clean cache (TL's signature); shape [n_layers, pos] etc. per the type. */
    public static Tensor actPatch(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache, PatchMetric metric,
            PatchType type, boolean fast) {
        float[] values = genericPatch(model, corrupted, cleanCache, metric, type, null, fast);
        return Tensor.of(values, type.setter().axisSizes(model.cfg().nLayers(), corrupted[0].length,
                model.cfg().nHeads()));
    }

    /**
     * TL's generic_activation_patch with an index_df: the metric for each of {@code indices} (one int per axis of
     * the type's setter, layer first), flat in the given order; null indices means the full sweep, last axis fastest.
     */
    public static float[] genericPatch(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache,
            PatchMetric metric, PatchType type, List<int[]> indices, boolean fast) {
        return genericPatch(model, corrupted, null, cleanCache, metric, type, indices, fast);
    }

    /** generic_activation_patch of a padded batch: {@code mask} [batch][pos] as in the clean cache's run. */
    public static float[] genericPatch(HookedGpt2 model, int[][] corrupted, int[][] mask, ActivationCache cleanCache,
            PatchMetric metric, PatchType type, List<int[]> indices, boolean fast) {
        PatchSweep sweep = PatchSweep.of(model, corrupted, mask, cleanCache, metric, type, indices);
        try (SweepProgress progress = SweepProgress.auto(type.tlFunction(), sweep.indices().size())) {
            return fast ? FastPatcher.run(sweep, progress) : NaivePatcher.run(sweep, progress);
        }
    }

    /** get_act_patch_block_every: resid_pre, attn_out and mlp_out sweeps stacked, [3, n_layers, pos]. */
    public static Tensor blockEvery(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache,
            PatchMetric metric, boolean fast) {
        return stack(BLOCK_EVERY, t -> actPatch(model, corrupted, cleanCache, metric, t, fast));
    }

    /** get_act_patch_attn_head_all_pos_every: head out (z), q, k, v and pattern, [5, n_layers, n_heads]. */
    public static Tensor attnHeadAllPosEvery(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache,
            PatchMetric metric, boolean fast) {
        return stack(HEAD_ALL_POS_EVERY, t -> actPatch(model, corrupted, cleanCache, metric, t, fast));
    }

    /**
     * get_act_patch_attn_head_by_pos_every: head out (z), q, k, v and pattern by position, [5, n_layers, pos,
     * n_heads]; the pattern sweep [n_layers, n_heads, dest_pos] is rearranged to [n_layers, pos, n_heads] as TL does.
     */
    public static Tensor attnHeadByPosEvery(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache,
            PatchMetric metric, boolean fast) {
        return stack(HEAD_BY_POS_EVERY, t -> actPatch(model, corrupted, cleanCache, metric, t, fast));
    }

    /** The sweeps of an *_every function stacked on a new first dim; a pattern-by-position part becomes pos-major. */
    static Tensor stack(List<PatchType> types, Function<PatchType, Tensor> sweep) {
        Tensor[] parts = new Tensor[types.size()];
        for (int i = 0; i < parts.length; i++) {
            Tensor part = sweep.apply(types.get(i));
            parts[i] = types.get(i) == PatchType.ATTN_HEAD_PATTERN_BY_POS
                    ? part.permute(0, 2, 1).contiguous() : part; // layer head pos -> layer pos head
        }
        return Tensor.stack(0, parts);
    }

    private static String shape(int[][] tokens) {
        return tokens == null ? "null" : tokens.length == 0 ? "[0]" : Shape.str(tokens.length, tokens[0].length);
    }
}
