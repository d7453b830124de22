// Attribution patching (Nanda 2023): every activation patch of a sweep estimated to first order from one clean
// forward, one corrupted forward and one backward pass, in the shapes of the exact sweeps.
package dev.jlens.model.patching;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.CachedRun;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patching the clean activation a into the corrupted run at an index changes the metric M by about
 * sum over the patched slice (and the batch) of (a_clean - a_corrupted) * dM/da, the gradient taken on the corrupted
 * run: the first-order Taylor term. Each estimate is reported as M(corrupted) plus that term, so it reads like the
 * exact sweep's value at the same index ({@link Patching#actPatch}, same axes and shape). It is exact for a metric
 * linear in the activation and good while the patch moves the run little; large patches through softmax, layer
 * norm or attention (saturated patterns especially) can be far off, so rank with it and check the top entries with
 * exact patching. All sweeps asked for together share the one backward.
 */
public final class AttributionPatching {
    private AttributionPatching() {}

    /** The estimate of sweep {@code type}, shaped as {@link Patching#actPatch}. */
    public static Tensor actPatch(HookedGpt2 model, int[][] clean, int[][] corrupted, LogitMetric metric,
            PatchType type) {
        return actPatch(model, clean, corrupted, null, metric, type);
    }

    /**
     * The estimate of sweep {@code type} for padded prompts: {@code mask} [batch][pos] (1 real, 0 pad; null: all
     * real) applies to both runs, as in {@link Patching#actPatch(HookedGpt2, int[][], int[][], int[][], PatchMetric,
     * PatchType, boolean)}; pads neither differ nor carry gradient, so an index
     * at a pad estimates no change.
     */
    public static Tensor actPatch(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            LogitMetric metric, PatchType type) {
        return estimate(model, clean, corrupted, mask, metric, List.of(type)).get(type);
    }

    /** get_act_patch_block_every estimated: resid_pre, attn_out, mlp_out, [3, n_layers, pos]. */
    public static Tensor blockEvery(HookedGpt2 model, int[][] clean, int[][] corrupted, LogitMetric metric) {
        return Patching.stack(Patching.BLOCK_EVERY,
                estimate(model, clean, corrupted, metric, Patching.BLOCK_EVERY)::get);
    }

    /** get_act_patch_attn_head_all_pos_every estimated: [5, n_layers, n_heads]. */
    public static Tensor attnHeadAllPosEvery(HookedGpt2 model, int[][] clean, int[][] corrupted,
            LogitMetric metric) {
        return Patching.stack(Patching.HEAD_ALL_POS_EVERY,
                estimate(model, clean, corrupted, metric, Patching.HEAD_ALL_POS_EVERY)::get);
    }

    /** get_act_patch_attn_head_by_pos_every estimated: [5, n_layers, pos, n_heads]. */
    public static Tensor attnHeadByPosEvery(HookedGpt2 model, int[][] clean, int[][] corrupted,
            LogitMetric metric) {
        return Patching.stack(Patching.HEAD_BY_POS_EVERY,
                estimate(model, clean, corrupted, metric, Patching.HEAD_BY_POS_EVERY)::get);
    }

    /** Every sweep of {@code types} from one clean forward, one corrupted forward and one backward. */
    public static Map<PatchType, Tensor> estimate(HookedGpt2 model, int[][] clean, int[][] corrupted,
            LogitMetric metric, List<PatchType> types) {
        return estimate(model, clean, corrupted, null, metric, types);
    }

    /** {@link #estimate(HookedGpt2, int[][], int[][], LogitMetric, List)} of padded prompts ({@code mask} or null). */
    public static Map<PatchType, Tensor> estimate(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            LogitMetric metric, List<PatchType> types) {
        int layers = model.cfg().nLayers();
        List<String> names = new ArrayList<>();
        for (PatchType type : types) {
            for (int l = 0; l < layers; l++) {
                names.add(type.hookName(l));
            }
        }
        ActivationCache cleanActs = Patching.cleanActivations(model, clean, corrupted, mask, NameFilter.anyOf(names));
        CachedRun run = model.runWithCache(corrupted, NameFilter.anyOf(names), false,
                RunOptions.defaults().withAttentionMask(mask), metric);
        ActivationCache corruptedActs = run.cache();
        Tensor base = Tensor.scalar(metric.value(run.output().logits()));
        Map<PatchType, Tensor> out = new LinkedHashMap<>();
        for (PatchType type : types) {
            Tensor[] perLayer = new Tensor[layers];
            for (int l = 0; l < layers; l++) {
                String name = type.hookName(l);
                Tensor delta = cleanActs.get(name).sub(corruptedActs.get(name)).mul(corruptedActs.get(name + "_grad"));
                perLayer[l] = type.setter().sumOutsideIndex(delta).add(base);
            }
            out.put(type, Tensor.stack(0, perLayer));
        }
        return out;
    }
}
