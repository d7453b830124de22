// Which features a job reads: every unit of one hook's activation, or that activation times a user matrix.
package dev.jlens.model.jobs;

import dev.jlens.model.HookedGpt2;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The features of one hook point. Without a matrix, feature i is element i of the activation's trailing dims after
 * [batch, pos], flattened row-major (for {@code blocks.1.attn.hook_z} [batch, pos, head_index, d_head], head h unit
 * e is feature h * d_head + e). With a matrix W [F, n] (a direction when n = 1, e.g. an SAE encoder), the features
 * are the n columns of act [batch * pos, F] @ W.
 *
 * The job manifest records a matrix by content (a SHA-256 of its shape and values, {@link #describe}), so a changed
 * matrix file of the same name is not taken for the finished shards' one.
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

    /**
     * {@code HOOK=FILE.npy} (the CLI's --matrix): {@code HOOK}'s activation times the matrix [F, n] (or a direction
     * [F]) in the file, labelled {@code HOOK@stem}, the stem being the file name without .npy.
     */
    public static FeatureSource fromNpy(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--matrix expects HOOK=FILE.npy, got '" + spec + "'");
        }
        Path file = Path.of(spec.substring(eq + 1));
        Tensor w;
        try {
            w = Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --matrix " + file + ": " + e.getMessage(), e);
        }
        String stem = file.getFileName().toString().replaceFirst("\\.npy$", "");
        return projected(spec.substring(0, eq), w.rank() == 1 ? w.unsqueeze(1) : w, stem);
    }

    /** The label, and for a matrix its shape and content hash: what the job manifest records. */
    public String describe() {
        return matrix == null ? label : label + Shape.str(matrix.shape()) + " sha256=" + sha256(matrix.toArray());
    }

    private static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256", e);
        }
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
