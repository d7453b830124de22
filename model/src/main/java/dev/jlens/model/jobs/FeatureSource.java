// Which features a job reads: every unit of one hook's activation, or that activation times a user matrix.
package dev.jlens.model.jobs;

import dev.jlens.model.HookedGpt2;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;

/**
 * The features of one hook point. Without a matrix, feature i is element i of the activation's trailing dims after
 * [batch, pos], flattened row-major (for {@code blocks.1.attn.hook_z} [batch, pos, head_index, d_head], head h unit
 * e is feature h * d_head + e). With a matrix W [F, n] (a direction when n = 1, e.g. an SAE encoder), the features
 * are the n columns of act [batch * pos, F] @ W.
 *
 * @param hook   the full hook name
 * @param matrix [F, n] applied to the flattened activation, or null
 * @param label  the name in outputs: the hook name, or {@code hook@name} for a matrix
 */
public record FeatureSource(String hook, Tensor matrix, String label) {
    /** Checks the matrix is 2-D. */
    public FeatureSource {
        if (matrix != null && matrix.rank() != 2) {
            throw new IllegalArgumentException("the matrix for " + hook + " must be [features_in, features_out], got "
                    + Shape.str(matrix.shape()));
        }
    }

    /** Every unit of {@code hook}. */
    public static FeatureSource units(String hook) {
        return new FeatureSource(hook, null, hook);
    }

    /** {@code hook}'s activation times {@code matrix} [F, n], labelled {@code hook@name}. */
    public static FeatureSource projected(String hook, Tensor matrix, String name) {
        return new FeatureSource(hook, matrix, hook + "@" + name);
    }

    /** Checks the hook exists (nearest names suggested) and has [batch, pos, ...] axes. */
    void check(HookedGpt2 model) {
        model.hookPoint(hook);
        if (hook.endsWith("hook_pattern") || hook.endsWith("hook_attn_scores")) {
            throw new IllegalArgumentException(hook + " is [batch, head_index, query_pos, key_pos]; corpus jobs read "
                    + "hooks whose axes start [batch, pos] (use blocks.L.attn.hook_z for a head's output)");
        }
    }

    /** The feature values of one activation: [rows = batch * pos, features] as a flat row-major array. */
    float[] values(Tensor activation) {
        int rows = activation.size(0) * activation.size(1);
        if (matrix == null) {
            return activation.toArray();
        }
        int in = activation.numel() / rows;
        if (in != matrix.size(0)) {
            throw new IllegalArgumentException("the matrix for " + hook + " is " + Shape.str(matrix.shape())
                    + " but the activation " + Shape.str(activation.shape()) + " has " + in + " features per position");
        }
        return activation.contiguous().reshape(rows, in).matmul(matrix).toArray();
    }
}
