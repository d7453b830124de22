// TL patching.py's setters: write the clean activation into the corrupted one at a layer/pos/head index.
package dev.jlens.model.patching;

import dev.jlens.tensor.Tensor;

/**
 * How a patch index selects part of an activation, mirroring TransformerLens' {@code *_patch_setter} functions.
 * An index is an int per axis, layer first (see {@link #axes()}). Every setter writes all batch elements of one
 * patch: rows [row, row + batch) of the activation, whose position axis starts at absolute position p0 (0 in a
 * full pass; later in a resumed one). Clean activations are full [batch, pos, ...] tensors.
 */
public enum PatchSetter {
    /** layer_pos_patch_setter: act[:, pos, ...] of resid or attn/mlp out [batch, pos, d_model]. */
    LAYER_POS("layer", "pos"),
    /** layer_pos_head_vector_patch_setter: act[:, pos, head] of q/k/v/z [batch, pos, head_index, d_head]. */
    LAYER_POS_HEAD_VECTOR("layer", "pos", "head"),
    /** layer_head_vector_patch_setter: act[:, :, head] of q/k/v/z [batch, pos, head_index, d_head]. */
    LAYER_HEAD_VECTOR("layer", "head"),
    /** layer_head_pattern_patch_setter: act[:, head] of the pattern [batch, head_index, dest_pos, src_pos]. */
    LAYER_HEAD_PATTERN("layer", "head"),
    /** layer_head_pos_pattern_patch_setter: act[:, head, dest] of the pattern. */
    LAYER_HEAD_POS_PATTERN("layer", "head_index", "dest_pos"),
    /** layer_head_dest_src_pos_pattern_patch_setter: act[:, head, dest, src] of the pattern. */
    LAYER_HEAD_DEST_SRC_POS_PATTERN("layer", "head_index", "dest_pos", "src_pos");

    private final String[] axes;

    PatchSetter(String... axes) {
        this.axes = axes;
    }

    /** TL's index_axis_names, layer first. */
    public String[] axes() {
        return axes.clone();
    }

    /** The size of each axis for a model of {@code layers} x {@code heads} and inputs of {@code pos} tokens. */
    int[] axisSizes(int layers, int pos, int heads) {
        int[] sizes = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            sizes[i] = switch (axes[i]) {
                case "layer" -> layers;
                case "head", "head_index" -> heads;
                default -> pos;
            };
        }
        return sizes;
    }

    /** True for the setters of hook_pattern [batch, head_index, dest_pos, src_pos]. */
    boolean patchesPattern() {
        return this == LAYER_HEAD_PATTERN || this == LAYER_HEAD_POS_PATTERN || this == LAYER_HEAD_DEST_SRC_POS_PATTERN;
    }

    /** The first position the patch changes: positions before it keep their corrupted values (causality). */
    int firstPosition(int[] index) {
        return switch (this) {
            case LAYER_POS, LAYER_POS_HEAD_VECTOR -> index[1];
            case LAYER_HEAD_POS_PATTERN, LAYER_HEAD_DEST_SRC_POS_PATTERN -> index[2];
            case LAYER_HEAD_VECTOR, LAYER_HEAD_PATTERN -> 0;
        };
    }

    /**
     * Sums a per-element quantity of one layer's activation (its shape) over the batch and every dim an index does
     * not select, leaving the index axes after layer: [pos] (LAYER_POS), [pos, head], [head], [head], [head_index,
     * dest_pos] or [head_index, dest_pos, src_pos]. Attribution patching sums (clean - corrupted) * gradient so.
     */
    Tensor sumOutsideIndex(Tensor perElement) {
        Tensor t = perElement.sum(0); // [pos, d_model], [pos, head, d_head] or [head, dest, src]
        return switch (this) {
            case LAYER_POS, LAYER_POS_HEAD_VECTOR -> t.sum(-1);
            case LAYER_HEAD_VECTOR -> t.sum(-1).sum(0);
            case LAYER_HEAD_PATTERN -> t.sum(-1).sum(-1);
            case LAYER_HEAD_POS_PATTERN -> t.sum(-1);
            case LAYER_HEAD_DEST_SRC_POS_PATTERN -> t;
        };
    }

    /**
     * Writes clean's values at {@code index} into rows [row, row + batch) of act, whose position axis (dest_pos for
     * patterns) holds the last act-size of {@code pos} positions. A position before that window is skipped: only
     * a resumed last block hides positions, those no read logit depends on, so the patch there changes nothing.
     */
    void apply(Tensor act, int row, int batch, int pos, int[] index, Tensor clean) {
        int p0 = pos - act.size(patchesPattern() ? 2 : 1);
        if (this != LAYER_HEAD_VECTOR && this != LAYER_HEAD_PATTERN && firstPosition(index) < p0) {
            return;
        }
        Tensor dst = act.narrow(0, row, batch);
        switch (this) {
            case LAYER_POS -> dst.select(1, index[1] - p0).copyFrom(clean.select(1, index[1]));
            case LAYER_POS_HEAD_VECTOR -> dst.select(1, index[1] - p0).select(1, index[2])
                    .copyFrom(clean.select(1, index[1]).select(1, index[2]));
            case LAYER_HEAD_VECTOR -> dst.select(2, index[1])
                    .copyFrom(clean.narrow(1, p0, dst.size(1)).select(2, index[1]));
            case LAYER_HEAD_PATTERN -> dst.select(1, index[1])
                    .copyFrom(clean.select(1, index[1]).narrow(1, p0, dst.size(2)));
            case LAYER_HEAD_POS_PATTERN -> dst.select(1, index[1]).select(1, index[2] - p0)
                    .copyFrom(clean.select(1, index[1]).select(1, index[2]));
            case LAYER_HEAD_DEST_SRC_POS_PATTERN -> dst.select(1, index[1]).select(1, index[2] - p0).select(1, index[3])
                    .copyFrom(clean.select(1, index[1]).select(1, index[2]).select(1, index[3]));
        }
    }
}
