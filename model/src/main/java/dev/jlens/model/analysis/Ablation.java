// Head ablation on hook_z: zero and mean ablation hooks, and the seed's "ablate each head, measure a metric" loop.
package dev.jlens.model.analysis;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.HookPoint;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Knocks a head out by rewriting its slice of {@code blocks.L.attn.hook_z} [batch, pos, head_index, d_head] (the
 * mixed values, just before W_O), as TL users do with {@code z[:, pos, head, :] = 0}:
 * <ul>
 *   <li>zero ablation: z[:, p, h, :] = 0;</li>
 *   <li>mean ablation: z[:, p, h, :] = mean of z[:, p, h, :] over the batch (and, optionally, positions) of a
 *       reference run, from {@link #meanZ}.</li>
 * </ul>
 * Positions: none given means every position; negative ones count from the end (TL's {@code z[:, -1]}). The hooks
 * return an ablated copy and leave the tensor they receive untouched.
 */
public final class Ablation {
    /** What a mean ablation averages the reference z over. */
    public enum MeanOver {
        /** Mean over the batch: one mean per position, meanZ [pos, head_index, d_head]. */
        BATCH,
        /** Mean over the batch and positions: meanZ [head_index, d_head]. */
        BATCH_AND_POS
    }

    /** Makes the ablation hook of one head; {@link #eachHead} calls it for every (layer, head). */
    @FunctionalInterface
    public interface HeadAblation {
        /** The hook that ablates head {@code head} of layer {@code layer}. */
        FwdHook hook(int layer, int head);
    }

    private Ablation() {}

    /** The hook name of z in {@code layer}: blocks.{layer}.attn.hook_z. */
    public static String zName(int layer) {
        return "blocks." + layer + ".attn.hook_z";
    }

    /** Zero ablation of (layer, head) at {@code positions} (all when none), as a hook for runWithHooks. */
    public static FwdHook zeroHead(int layer, int head, int... positions) {
        return FwdHook.of(zName(layer), zeroHeadFn(head, positions));
    }

    /** The hook function of {@link #zeroHead}: z[:, positions, head, :] = 0 in a copy of z. */
    public static HookFn zeroHeadFn(int head, int... positions) {
        return (z, hook) -> {
            Tensor out = z.copy();
            for (int p : resolve(z, hook, head, positions)) {
                out.select(1, p).select(1, head).fill(0f); // [batch, d_head]
            }
            return out;
        };
    }

    /**
     * Mean ablation of (layer, head) at {@code positions} (all when none) with means from {@link #meanZ}:
     * meanZ [head_index, d_head] (every position gets the same mean) or [pos, head_index, d_head] (position p gets
     * the mean at p; the ablated run must have as many positions as the reference).
     */
    public static FwdHook meanHead(int layer, int head, Tensor meanZ, int... positions) {
        return FwdHook.of(zName(layer), meanHeadFn(head, meanZ, positions));
    }

    /** The hook function of {@link #meanHead}: z[:, p, head, :] = meanZ[(p,) head, :] in a copy of z. */
    public static HookFn meanHeadFn(int head, Tensor meanZ, int... positions) {
        if (meanZ.rank() != 2 && meanZ.rank() != 3) {
            throw new IllegalArgumentException("meanZ must be [head_index, d_head] or [pos, head_index, d_head], got "
                    + Shape.str(meanZ.shape()));
        }
        return (z, hook) -> {
            int[] ps = resolve(z, hook, head, positions);
            boolean perPos = meanZ.rank() == 3;
            int[] want = perPos ? new int[] {z.size(1), z.size(2), z.size(3)} : new int[] {z.size(2), z.size(3)};
            if (!Arrays.equals(meanZ.shape(), want)) {
                throw new IllegalArgumentException(hook.name() + ": meanZ " + Shape.str(meanZ.shape())
                        + " does not fit z " + Shape.str(z.shape()) + "; expected " + Shape.str(want));
            }
            Tensor out = z.copy();
            for (int p : ps) {
                Tensor mean = (perPos ? meanZ.select(0, p) : meanZ).select(0, head); // [d_head]
                out.select(1, p).select(1, head).copyFrom(mean.expand(z.size(0), z.size(3)));
            }
            return out;
        };
    }

    /** The mean of a reference run's z of {@code layer} (cache with batch dim [batch, pos, head_index, d_head]). */
    public static Tensor meanZ(ActivationCache reference, int layer, MeanOver over) {
        Tensor z = reference.get("z", layer, "attn");
        if (!reference.hasBatchDim()) {
            z = z.unsqueeze(0);
        }
        Tensor overBatch = z.mean(0); // [pos, head_index, d_head]
        return over == MeanOver.BATCH ? overBatch : overBatch.mean(0);
    }

    /** Zero ablation at {@code positions} (all when none) as a {@link HeadAblation}. */
    public static HeadAblation zero(int... positions) {
        return (layer, head) -> zeroHead(layer, head, positions);
    }

    /** Mean ablation with means from {@code reference} over {@code over}, at {@code positions} (all when none). */
    public static HeadAblation mean(ActivationCache reference, MeanOver over, int... positions) {
        return (layer, head) -> meanHead(layer, head, meanZ(reference, layer, over), positions);
    }

    /**
     * The seed's get_ablation_scores: scores[L, H] = metric(logits with head (L, H) ablated) - metric(logits
     * without ablation), one forward per head, over [n_layers, n_heads].
     *
     * @param metric maps logits [batch, pos, d_vocab] to a number, e.g. {@link LogitMetrics#nextTokenLoss}
     */
    public static Tensor eachHead(HookedGpt2 model, int[][] tokens, HeadAblation ablation,
            ToDoubleFunction<Tensor> metric) {
        return eachHead(model, tokens, null, ablation, metric);
    }

    /**
     * {@link #eachHead(HookedGpt2, int[][], HeadAblation, ToDoubleFunction)} on a padded batch: {@code mask}
     * [batch][pos] (1 real, 0 pad; null: all real) applies to every run, e.g. from
     * {@link HookedGpt2#toTokens(List, boolean, dev.jlens.model.tokenizer.PaddingSide)}.
     */
    public static Tensor eachHead(HookedGpt2 model, int[][] tokens, int[][] mask, HeadAblation ablation,
            ToDoubleFunction<Tensor> metric) {
        RunOptions options = RunOptions.defaults().withAttentionMask(mask);
        double clean = metric.applyAsDouble(model.forward(tokens, options).logits());
        Tensor scores = Tensor.zeros(model.cfg().nLayers(), model.cfg().nHeads());
        for (int l = 0; l < model.cfg().nLayers(); l++) {
            for (int h = 0; h < model.cfg().nHeads(); h++) {
                Tensor logits = model.runWithHooks(tokens, List.of(ablation.hook(l, h)), options).logits();
                scores.set((float) (metric.applyAsDouble(logits) - clean), l, h); // change in the metric
            }
        }
        return scores;
    }

    /** The positions to ablate (every one when none given), each wrapped and checked against z. */
    private static int[] resolve(Tensor z, HookPoint hook, int head, int[] positions) {
        if (z.rank() != 4) {
            throw new IllegalArgumentException(hook.name() + ": expected z [batch, pos, head_index, d_head], got "
                    + Shape.str(z.shape()));
        }
        if (head < 0 || head >= z.size(2)) {
            throw new IllegalArgumentException(hook.name() + ": head " + head + " is out of range for "
                    + z.size(2) + " heads");
        }
        int pos = z.size(1);
        if (positions.length == 0) {
            return IntStream.range(0, pos).toArray();
        }
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i] < 0 ? pos + positions[i] : positions[i];
            if (p < 0 || p >= pos) {
                throw new IllegalArgumentException(hook.name() + ": position " + positions[i]
                        + " is out of range for " + pos + " positions");
            }
            out[i] = p;
        }
        return out;
    }
}
