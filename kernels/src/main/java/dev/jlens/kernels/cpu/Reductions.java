// Row reductions: for each row r of in [rows, N]:
//   sum[r]       = sum_i in[r,i]
//   mean[r]      = sum[r] / N
//   max[r]       = max_i in[r,i]                          (NaN if the row holds a NaN, like Math.max)
//   logsumexp[r] = m + ln(sum_i exp(in[r,i] - m)), m = max[r]   (-inf for a row that is all -inf)
//   argmax[r]    = first i with in[r,i] == max[r]         (first NaN if the row holds one, like torch.argmax)
// Outputs: out [rows] (first argument). Mirrors torch.sum / max / logsumexp / argmax over the last dim.
// Accuracy: the vector sums add floats lane-wise within blocks of BLOCK elements and add the block totals in
// double, so the rounding error grows with BLOCK / lanes rather than N; the scalar twins accumulate in double.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Reductions over each row of a contiguous [rows, n] block, parallel over rows for large inputs. The row
 * helpers ({@link #sumRow}, {@link #maxRow}, {@link #expSumRow}) are shared with Softmax, LayerNorm and Attention.
 */
public final class Reductions {
    /** Elements per float partial sum before it is added to the double total (a multiple of every lane count). */
    static final int BLOCK = 512;

    private Reductions() {}

    /** out[r] = sum of row r of in [rows, n]. */
    public static void sum(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            sumScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[oOff + r] = (float) sumRow(in, iOff + r * n, n);
            }
        });
    }

    /** out[r] = mean of row r of in [rows, n]. */
    public static void mean(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            meanScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[oOff + r] = (float) (sumRow(in, iOff + r * n, n) / n);
            }
        });
    }

    /** out[r] = max of row r of in [rows, n], n &gt;= 1. */
    public static void max(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            maxScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[oOff + r] = maxRow(in, iOff + r * n, n);
            }
        });
    }

    /** out[r] = ln(sum_i exp(in[r,i])), computed max-shifted; -inf for a row of -inf, n &gt;= 1. */
    public static void logsumexp(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            logsumexpScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = iOff + r * n;
                float m = maxRow(in, row, n);
                out[oOff + r] = m == Float.NEGATIVE_INFINITY ? m : (float) (m + Math.log(expSumRow(in, row, n, m)));
            }
        });
    }

    /** out[r] = index of the first maximum of row r of in [rows, n] (the first NaN if any), n &gt;= 1. */
    public static void argmax(int[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            argmaxScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[oOff + r] = argmaxRow(in, iOff + r * n, n);
            }
        });
    }

    /** Scalar twin of {@link #sum}: double accumulator. */
    static void sumScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            out[oOff + r] = (float) sumRowScalar(in, iOff + r * n, n);
        }
    }

    /** Scalar twin of {@link #mean}: double accumulator. */
    static void meanScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            out[oOff + r] = (float) (sumRowScalar(in, iOff + r * n, n) / n);
        }
    }

    /** Scalar twin of {@link #max}. */
    static void maxScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            out[oOff + r] = maxRowScalar(in, iOff + r * n, n);
        }
    }

    /** Scalar twin of {@link #logsumexp}: double accumulator. */
    static void logsumexpScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = iOff + r * n;
            float m = maxRowScalar(in, row, n);
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp((double) in[row + i] - m);
            }
            out[oOff + r] = m == Float.NEGATIVE_INFINITY ? m : (float) (m + Math.log(s));
        }
    }

    /** Scalar twin of {@link #argmax}. */
    static void argmaxScalar(int[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = iOff + r * n;
            float m = maxRowScalar(in, row, n);
            int best = 0;
            while (!(in[row + best] == m || Float.isNaN(m) && Float.isNaN(in[row + best]))) {
                best++;
            }
            out[oOff + r] = best;
        }
    }

    /** Sum of in[off .. off+n): float lanes per block of {@link #BLOCK}, blocks added in double. */
    static double sumRow(float[] in, int off, int n) {
        return shiftedSumRow(in, off, n, 0f, 0f);
    }

    /**
     * Sum of (in[i] - hi) - lo over in[off .. off+n), blocked like {@link #sumRow}: with hi + lo an estimate of the
     * mean, the terms are deviations and the sum is accurate even when the mean is large (LayerNorm's correction).
     */
    static double shiftedSumRow(float[] in, int off, int n, float hi, float lo) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (int bound = SPECIES.loopBound(len); i < bound; i += SPECIES.length()) {
                acc = acc.add(FloatVector.fromArray(SPECIES, in, off + start + i).sub(hi).sub(lo));
            }
            float part = Lanes.sum(acc);
            for (; i < len; i++) {
                part += in[off + start + i] - hi - lo;
            }
            total += part;
        }
        return total;
    }

    /** Sum of exp(in[i] - shift) over in[off .. off+n), blocked like {@link #sumRow}. */
    static double expSumRow(float[] in, int off, int n, float shift) {
        FloatVector s = FloatVector.broadcast(SPECIES, shift);
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (int bound = SPECIES.loopBound(len); i < bound; i += SPECIES.length()) {
                acc = acc.add(Exp.exp(FloatVector.fromArray(SPECIES, in, off + start + i).sub(s))); // tier-stable exp
            }
            float part = Lanes.sum(acc);
            for (; i < len; i++) {
                part += Exp.exp(in[off + start + i] - shift);
            }
            total += part;
        }
        return total;
    }

    /** Max of in[off .. off+n), n &gt;= 1; NaN if any entry is NaN. */
    static float maxRow(float[] in, int off, int n) {
        FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            acc = acc.max(FloatVector.fromArray(SPECIES, in, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, in[off + i]);
        }
        return m;
    }

    /** Index of the first maximum (or first NaN) of in[off .. off+n): a max pass, then a vector search for it. */
    static int argmaxRow(float[] in, int off, int n) {
        float m = maxRow(in, off, n);
        boolean nan = Float.isNaN(m);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, in, off + i);
            VectorMask<Float> hit = nan ? x.test(VectorOperators.IS_NAN) : x.eq(m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        while (!(in[off + i] == m || nan && Float.isNaN(in[off + i]))) {
            i++;
        }
        return i;
    }

    /** Scalar twin of {@link #sumRow}: double accumulator. */
    static double sumRowScalar(float[] in, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += in[off + i];
        }
        return s;
    }

    /** Scalar twin of {@link #maxRow}. */
    static float maxRowScalar(float[] in, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, in[off + i]);
        }
        return m;
    }
}
