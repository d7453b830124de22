// Steering by activation addition (Turner et al. 2023, "Activation Addition"): add c (resid(p+) - resid(p-)) at a
// layer's hook_resid_pre.
package dev.jlens.model.analysis;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * A steering vector: direction [n, d_model] = blocks.L.hook_resid_pre of prompt+ minus that of prompt- (both with
 * BOS; the shorter padded at its end with the space token, as the ActAdd code pads), times a coefficient. Two hooks
 * apply it:
 * <ul>
 *   <li>{@link #atStart()}, ActAdd's: resid_pre[:, p] += c direction[p] for p &lt; n, in every pass that covers
 *       the sequence from position 0 with at least n positions. A shorter pass is taken for a KV-cached decode step
 *       and left alone (its positions lie after the steered ones), so cached and uncached generation agree when
 *       the prompt has at least n tokens. {@link #atStart(int[])} does the same for a left-padded batch, from
 *       each row's first real position.</li>
 *   <li>{@link #everywhere()}: resid_pre[:, p] += c mean_q direction[q] at every position: no position to align,
 *       so it works with padding and the KV cache alike.</li>
 * </ul>
 * Both return a steered copy and leave the activation they receive untouched.
 */
public final class ActivationAddition {
    private final int layer;
    private final Tensor scaled; // [n, d_model]: coefficient * direction

    private ActivationAddition(int layer, Tensor scaled) {
        this.layer = layer;
        this.scaled = scaled;
    }

    /**
     * c (resid_pre(plus) - resid_pre(minus)) at block {@code layer}, from one run of the two prompts.
     *
     * @param model       the model to steer (its tokenizer reads the prompts)
     * @param layer       the block whose hook_resid_pre is read and steered
     * @param coefficient c
     * @param plus        the prompt to steer towards, e.g. "Love"
     * @param minus       the prompt to steer away from, e.g. "Hate"
     * @return the steering vector
     */
    public static ActivationAddition fromPrompts(HookedGpt2 model, int layer, double coefficient, String plus,
            String minus) {
        checkLayer(model, layer);
        int[] p = model.toTokens(plus)[0];
        int[] m = model.toTokens(minus)[0];
        int n = Math.max(p.length, m.length);
        int space = model.toSingleToken(" ");
        int[][] tokens = {padded(p, n, space), padded(m, n, space)};
        String name = hookName(layer);
        Tensor resid = model.runWithCache(tokens, NameFilter.exact(name), false, RunOptions.defaults()
                .stoppingAt(layer + 1)).cache().get(name); // [2, n, d_model]
        return of(layer, resid.select(0, 0).sub(resid.select(0, 1)), coefficient);
    }

    /**
     * A steering vector from a given direction.
     *
     * @param layer       the block whose hook_resid_pre it steers
     * @param direction   [n, d_model]: one row per steered position ([1, d_model] steers one position)
     * @param coefficient the factor it is multiplied by
     * @return the steering vector
     */
    public static ActivationAddition of(int layer, Tensor direction, double coefficient) {
        if (direction.rank() != 2 || direction.size(0) < 1) {
            throw new IllegalArgumentException("a steering direction must be [pos, d_model], got "
                    + Shape.str(direction.shape()));
        }
        return new ActivationAddition(layer, direction.scale((float) coefficient).contiguous());
    }

    /** The hook name it steers: {@code blocks.L.hook_resid_pre}. */
    public String hookName() {
        return hookName(layer);
    }

    /** coefficient * direction, [n, d_model]. */
    public Tensor vector() {
        return scaled;
    }

    /** ActAdd's hook: adds the vector at positions [0, n) of every pass of at least n positions. */
    public FwdHook atStart() {
        return steerFrom(row -> 0, scaled.size(0));
    }

    /**
     * ActAdd's hook for a left-padded batch: adds the vector at positions [pads[b], pads[b] + n) of row b, the first
     * n positions of each prompt, in every pass that covers them all (at least max(pads) + n positions). Cached and
     * uncached generation agree when every prompt has at least n tokens.
     *
     * @param pads the pads in front of each row's prompt, [batch]
     * @return the hook
     */
    public FwdHook atStart(int[] pads) {
        int[] offsets = pads.clone();
        return steerFrom(row -> {
            if (row >= offsets.length) {
                throw new IllegalArgumentException("the steering hook knows the pads of " + offsets.length
                        + " rows but " + hookName() + " has row " + row);
            }
            return offsets[row];
        }, Arrays.stream(offsets).max().orElse(0) + scaled.size(0));
    }

    /** Adds the vector at positions [first(b), first(b) + n) of each row b of every pass of at least reach positions. */
    private FwdHook steerFrom(IntUnaryOperator first, int reach) {
        int n = scaled.size(0);
        return FwdHook.of(hookName(), (act, hook) -> {
            checkWidth(act);
            if (act.size(1) < reach) {
                return null; // a decode step after the steered positions
            }
            Tensor out = act.copy();
            for (int b = 0; b < act.size(0); b++) {
                Tensor head = out.select(0, b).narrow(0, first.applyAsInt(b), n); // [n, d_model]
                head.copyFrom(head.add(scaled));
            }
            return out;
        });
    }

    /** Adds the vector's mean over positions at every position of every pass. */
    public FwdHook everywhere() {
        Tensor mean = scaled.mean(0); // [d_model]
        return FwdHook.of(hookName(), (act, hook) -> {
            checkWidth(act);
            return act.add(mean);
        });
    }

    private void checkWidth(Tensor act) {
        if (act.size(2) != scaled.size(1)) {
            throw new IllegalArgumentException("steering vector of width " + scaled.size(1) + " does not fit "
                    + hookName() + " " + Shape.str(act.shape()));
        }
    }

    private static String hookName(int layer) {
        return "blocks." + layer + ".hook_resid_pre";
    }

    private static void checkLayer(HookedGpt2 model, int layer) {
        if (layer < 0 || layer >= model.cfg().nLayers()) {
            throw new IllegalArgumentException("steering layer " + layer + " is out of range for "
                    + model.cfg().nLayers() + " layers");
        }
    }

    private static int[] padded(int[] ids, int n, int pad) {
        int[] out = Arrays.copyOf(ids, n);
        Arrays.fill(out, ids.length, n, pad);
        return out;
    }
}
