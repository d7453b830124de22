// One validated patch sweep: model, corrupted tokens, clean activations, metric, patch type and indices.
package dev.jlens.model.patching;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What both loops need, checked once (TL's generic_activation_patch arguments): every error names the problem
 * before any forward runs.
 *
 * @param model         the model (must carry no hooks of its own in the fast loop)
 * @param corrupted     corrupted token ids [batch][pos]
 * @param clean         clean activation per layer, [batch, pos, ...] as the hook sees it in a full pass
 * @param metric        scores one patched run
 * @param type          the sweep
 * @param indices       patch indices, one int per axis of the type's setter
 * @param readPositions the metric's read positions resolved to [0, pos), or null for all
 */
record PatchSweep(HookedGpt2 model, int[][] corrupted, Tensor[] clean, PatchMetric metric, PatchType type,
        List<int[]> indices, int[] readPositions, int[][] mask) {

    /** Validates the inputs; {@code indices} null means every index (TL's full sweep). */
    static PatchSweep of(HookedGpt2 model, int[][] corrupted, ActivationCache cleanCache, PatchMetric metric,
            PatchType type, List<int[]> indices) {
        return of(model, corrupted, null, cleanCache, metric, type, indices);
    }

    /** As above for a padded batch: {@code mask} [batch][pos] marks real tokens (null: all real). */
    static PatchSweep of(HookedGpt2 model, int[][] corrupted, int[][] mask, ActivationCache cleanCache,
            PatchMetric metric, PatchType type, List<int[]> indices) {
        if (corrupted == null || corrupted.length == 0 || corrupted[0].length == 0) {
            throw new IllegalArgumentException("corrupted tokens must be a non-empty [batch][pos] array");
        }
        int batch = corrupted.length;
        int pos = corrupted[0].length;
        String name0 = type.hookName(0);
        String why = model.cfg().attnOnly() ? " (the model is attention-only)" : "";
        if (!model.hookNames().contains(name0)) {
            throw new IllegalArgumentException(type.tlFunction() + " patches '" + type.activation() + "', but "
                    + model.cfg().modelName() + " has no hook " + name0 + why);
        }
        if (!cleanCache.contains(name0)) {
            throw new IllegalArgumentException(type.tlFunction() + " patches " + name0 + ", which the clean cache "
                    + "lacks: it was filtered out, or never fires in " + model.cfg().modelName() + why);
        }
        if (!cleanCache.hasBatchDim()) {
            throw new IllegalArgumentException("the clean cache must keep its batch dim (remove_batch_dim=false)");
        }
        Tensor[] clean = new Tensor[model.cfg().nLayers()];
        for (int layer = 0; layer < clean.length; layer++) {
            clean[layer] = cleanCache.get(type.hookName(layer));
            checkCleanShape(type.hookName(layer), clean[layer], type.setter(), batch, pos);
        }
        int[] sizes = type.setter().axisSizes(model.cfg().nLayers(), pos, model.cfg().nHeads());
        List<int[]> checked = indices == null ? allIndices(sizes) : checkIndices(type, indices, sizes);
        return new PatchSweep(model, corrupted, clean, metric, type, checked, resolve(metric.readPositions(), pos),
                mask);
    }

    /** Forward options of the corrupted runs: the sweep's mask, logits. */
    RunOptions options() {
        return RunOptions.defaults().withAttentionMask(mask);
    }

    int batch() {
        return corrupted.length;
    }

    int pos() {
        return corrupted[0].length;
    }

    /** The first position the metric reads (0 when it reads all). */
    int firstRead() {
        return readPositions == null ? 0 : Arrays.stream(readPositions).min().orElseThrow();
    }

    /** The metric's input from full logits [batch, pos, d_vocab]: the read positions only, when declared. */
    Tensor metricInput(Tensor logits) {
        return readPositions == null ? logits : logits.indexSelect(1, readPositions);
    }

    /** The metric of patch {@code i} on its metric input; a non-finite value is an error naming the patch. */
    float score(int i, Tensor metricLogits) {
        float value = metric.apply(metricLogits);
        if (!Float.isFinite(value)) {
            throw new IllegalStateException("the patching metric returned " + value + " for patch " + i + " "
                    + describe(indices.get(i)) + " of " + type.tlFunction() + "; it must return a finite number");
        }
        return value;
    }

    /** "(layer=1, pos=2)". */
    String describe(int[] index) {
        String[] axes = type.setter().axes();
        StringBuilder s = new StringBuilder("(");
        for (int a = 0; a < index.length; a++) {
            s.append(a == 0 ? "" : ", ").append(axes[a]).append('=').append(index[a]);
        }
        return s.append(')').toString();
    }

    private static void checkCleanShape(String name, Tensor clean, PatchSetter setter, int batch, int pos) {
        int posDim = setter.patchesPattern() ? 2 : 1; // pattern [batch, head_index, dest_pos, src_pos]
        if (clean.size(0) != batch || clean.size(posDim) != pos) {
            throw new IllegalArgumentException("clean " + name + " has shape " + Shape.str(clean.shape())
                    + " but the corrupted tokens are [batch " + batch + ", pos " + pos + "]; clean and corrupted "
                    + "inputs must have the same batch size and length");
        }
    }

    /** Every index of the axes, last axis fastest (TL's make_df_from_ranges order). */
    static List<int[]> allIndices(int[] sizes) {
        List<int[]> out = new ArrayList<>();
        int[] index = new int[sizes.length];
        int total = Arrays.stream(sizes).reduce(1, (a, b) -> a * b);
        for (int n = 0; n < total; n++) {
            out.add(index.clone());
            for (int a = sizes.length - 1; a >= 0 && ++index[a] == sizes[a]; a--) {
                index[a] = 0;
            }
        }
        return out;
    }

    private static List<int[]> checkIndices(PatchType type, List<int[]> indices, int[] sizes) {
        String[] axes = type.setter().axes();
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            int[] index = indices.get(i);
            if (index == null || index.length != sizes.length) {
                throw new IllegalArgumentException("patch index " + i + " " + Arrays.toString(index) + " must have "
                        + sizes.length + " entries " + Arrays.toString(axes) + " for " + type.tlFunction());
            }
            for (int a = 0; a < sizes.length; a++) {
                if (index[a] < 0 || index[a] >= sizes[a]) {
                    throw new IndexOutOfBoundsException("patch index " + i + " " + Arrays.toString(index) + ": "
                            + axes[a] + " " + index[a] + " is out of range [0, " + sizes[a] + ")");
                }
            }
            out.add(index.clone());
        }
        return out;
    }

    private static int[] resolve(int[] positions, int pos) {
        if (positions == null) {
            return null;
        }
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = positions[i] < 0 ? pos + positions[i] : positions[i];
            if (out[i] < 0 || out[i] >= pos) {
                throw new IllegalArgumentException("the metric reads position " + positions[i] + ", out of range for "
                        + pos + " tokens");
            }
        }
        return out;
    }
}
