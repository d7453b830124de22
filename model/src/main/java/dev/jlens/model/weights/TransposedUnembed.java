// fold_ln into W_U and center_unembed when W_U [D, V] is stored as W_E's [V, D] rows (tied weights, as GPT-2 ships).
//
// The same sums as WeightProcessing's row-wise steps, in the same order per output, so the results are bit-identical;
// only the traversal follows the storage. With w = ln.w, c = ln.b and E = W_U^T [V, D] (row v is W_U's column v):
//   fold:   b_U[v] += sum_d c[d] E[v, d];  m_v = sum_d E[v, d] w[d];  E'[v, d] = E[v, d] w[d] - m_v / D   (per row v)
//   centre: mu[d] = (sum_v E[v, d]) / V;  E''[v, d] = E[v, d] - mu[d]                                     (two passes)
package dev.jlens.model.weights;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.HeapStorage;
import java.lang.foreign.Arena;

/** The unembedding steps of {@link WeightProcessing} on a transposed W_U, streaming rows of W_E's storage. */
final class TransposedUnembed {
    private TransposedUnembed() {}

    /** True when W_U [D, V] is a transposed view (its columns contiguous), e.g. of the tied W_E. */
    static boolean applies(Tensor wU) {
        return wU.stride(0) == 1 && wU.stride(1) != 1;
    }

    /** fold_ln: returns the new W_U [D, V] (a transposed view of a new [V, D] buffer in arena); b is updated. */
    static Tensor fold(Tensor wU, double[] b, double[][] ln, Arena arena) {
        Tensor e = wU.transpose(0, 1); // [V, D], rows contiguous
        int v = e.size(0);
        int d = e.size(1);
        WeightRows rows = new WeightRows(e);
        WeightRows.Writer out = WeightRows.writer(v, d, arena, "unembed.W_U");
        int chunk = rows.chunkRows();
        for (int j = 0; j < v; j += chunk) {
            int m = Math.min(chunk, v - j);
            RowMath.foldRows(out.rows(), rows.read(j, m), m, d, b, j, ln[0], ln[1]);
            out.put(j, m);
        }
        return out.tensor().transpose(0, 1);
    }

    /**
     * fold_ln then center_unembed, straight into the current backend's prepared form: W_E's rows are folded twice (the
     * first pass sums the means over V, the second centres each chunk as the backend packs it), so no [D, V]
     * intermediate exists. The same values as {@link #fold} then {@link #centre}; b is updated.
     */
    static Tensor foldCentredPrepared(Tensor wU, double[] b, double[][] ln) {
        Tensor e = wU.transpose(0, 1); // [V, D], rows contiguous
        int v = e.size(0);
        int d = e.size(1);
        WeightRows rows = new WeightRows(e);
        int chunk = rows.chunkRows();
        float[] folded = new float[chunk * d];
        double[] mean = new double[d];
        for (int j = 0; j < v; j += chunk) {
            int m = Math.min(chunk, v - j);
            RowMath.foldRows(folded, rows.read(j, m), m, d, b, j, ln[0], ln[1]);
            RowMath.add(mean, folded, m, d);
        }
        RowMath.divide(mean, v);
        double[] unused = new double[chunk]; // the second pass's b, discarded: the first pass summed it
        float[][] out = {new float[0]}; // [count, D]: W_U's columns [from, from + count) as rows, reused
        return Backends.current().prepareWeight(d, v, (from, count) -> {
            if (out[0].length < count * d) {
                out[0] = new float[count * d];
            }
            for (int j = from; j < from + count; j += chunk) {
                int m = Math.min(chunk, from + count - j);
                RowMath.foldRows(folded, rows.read(j, m), m, d, unused, 0, ln[0], ln[1]);
                RowMath.minus(folded, folded, m, d, mean);
                System.arraycopy(folded, 0, out[0], (j - from) * d, m * d);
            }
            return Tensor.view(new HeapStorage(out[0]), new int[] {d, count}, new int[] {1, d}, 0); // [D, count]
        });
    }

    /** center_unembed: W_U [D, V] minus its mean over V, in place when {@code inPlace} (W_U is ours). */
    static Tensor centre(Tensor wU, boolean inPlace, Arena arena) {
        Tensor e = wU.transpose(0, 1); // [V, D]
        int v = e.size(0);
        int d = e.size(1);
        WeightRows rows = new WeightRows(e);
        int chunk = rows.chunkRows();
        double[] mean = new double[d];
        for (int j = 0; j < v; j += chunk) {
            int m = Math.min(chunk, v - j);
            RowMath.add(mean, rows.read(j, m), m, d);
        }
        RowMath.divide(mean, v);
        WeightRows.Writer out = inPlace ? WeightRows.writerInto(e) : WeightRows.writer(v, d, arena, "unembed.W_U");
        for (int j = 0; j < v; j += chunk) {
            int m = Math.min(chunk, v - j);
            RowMath.minus(out.rows(), rows.read(j, m), m, d, mean);
            out.put(j, m);
        }
        return out.tensor().transpose(0, 1);
    }
}
