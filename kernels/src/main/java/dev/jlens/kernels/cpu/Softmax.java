// Softmax and log-softmax over each row r of in [rows, N] (TL's pattern = scores.softmax(-1), log_softmax):
//   m = max_i in[r,i]
//   softmax[r,i]    = exp(in[r,i] - m) / sum_j exp(in[r,j] - m)
//   logSoftmax[r,i] = in[r,i] - m - ln(sum_j exp(in[r,j] - m))
// Outputs: out [rows, N] (first argument); out may be the same region as in. Entries of -inf get 0 (softmax) and
// -inf (log-softmax). A row that is entirely -inf (every key masked) is defined as softmax 0 everywhere and
// log-softmax -inf everywhere, i.e. exp(logSoftmax) = softmax still holds, where torch would give NaN.
// A row holding NaN or +inf gives NaN. Sums follow Reductions (float lanes per block, blocks in double).
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/** Row softmax and log-softmax, max-subtracted, parallel over rows for large inputs. */
public final class Softmax {
    private Softmax() {}

    /** out[r,:] = softmax(in[r,:]) for each of {@code rows} rows of n; an all -inf row gives zeros. */
    public static void softmax(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            softmaxScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                softmaxRow(out, oOff + r * n, in, iOff + r * n, n);
            }
        });
    }

    /** One row of {@link #softmax}, the same arithmetic (scalar twin or vector path); shared with Attention. */
    static void row(float[] out, int o, float[] in, int x, int n) {
        if (VectorWidth.SCALAR) {
            softmaxScalar(out, o, in, x, 1, n);
        } else {
            softmaxRow(out, o, in, x, n);
        }
    }

    /** out[r,:] = log_softmax(in[r,:]) for each of {@code rows} rows of n; an all -inf row gives -inf. */
    public static void logSoftmax(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            logSoftmaxScalar(out, oOff, in, iOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                logSoftmaxRow(out, oOff + r * n, in, iOff + r * n, n);
            }
        });
    }

    /** Scalar twin of {@link #softmax}: exp and sum in double. */
    static void softmaxScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int o = oOff + r * n;
            int x = iOff + r * n;
            float m = Reductions.maxRowScalar(in, x, n);
            if (m == Float.NEGATIVE_INFINITY) {
                Arrays.fill(out, o, o + n, 0f);
                continue;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp((double) in[x + i] - m);
            }
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) (Math.exp((double) in[x + i] - m) / s);
            }
        }
    }

    /** Scalar twin of {@link #logSoftmax}: exp, sum and log in double. */
    static void logSoftmaxScalar(float[] out, int oOff, float[] in, int iOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int o = oOff + r * n;
            int x = iOff + r * n;
            float m = Reductions.maxRowScalar(in, x, n);
            if (m == Float.NEGATIVE_INFINITY) {
                Arrays.fill(out, o, o + n, Float.NEGATIVE_INFINITY);
                continue;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp((double) in[x + i] - m);
            }
            double lse = Math.log(s);
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) ((double) in[x + i] - m - lse);
            }
        }
    }

    /** One softmax row: max pass, exp-and-sum pass (stores the exps), scale pass. */
    private static void softmaxRow(float[] out, int o, float[] in, int x, int n) {
        float m = Reductions.maxRow(in, x, n);
        if (m == Float.NEGATIVE_INFINITY) {
            Arrays.fill(out, o, o + n, 0f);
            return;
        }
        double s = expShifted(out, o, in, x, n, m);
        Elementwise.scaleVector(out, o, out, o, (float) (1 / s), n);
    }

    /** One log-softmax row: max pass, exp-sum pass (nothing stored), then (x - m) - lse, exact near the max. */
    private static void logSoftmaxRow(float[] out, int o, float[] in, int x, int n) {
        float m = Reductions.maxRow(in, x, n);
        if (m == Float.NEGATIVE_INFINITY) {
            Arrays.fill(out, o, o + n, Float.NEGATIVE_INFINITY);
            return;
        }
        float lse = (float) Math.log(Reductions.expSumRow(in, x, n, m));
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, in, x + i).sub(m).sub(lse).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] = in[x + i] - m - lse;
        }
    }

    /**
     * out[i] = exp(in[i] - shift) for i &lt; n; returns the sum of the stored values, blocked like
     * {@link Reductions#sumRow}.
     */
    private static double expShifted(float[] out, int o, float[] in, int x, int n, float shift) {
        FloatVector s = FloatVector.broadcast(SPECIES, shift);
        double total = 0;
        for (int start = 0; start < n; start += Reductions.BLOCK) {
            int len = Math.min(Reductions.BLOCK, n - start);
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (int bound = SPECIES.loopBound(len); i < bound; i += SPECIES.length()) {
                FloatVector e = Exp.exp(FloatVector.fromArray(SPECIES, in, x + start + i).sub(s));
                e.intoArray(out, o + start + i);
                acc = acc.add(e);
            }
            float part = Lanes.sum(acc);
            for (; i < len; i++) {
                float e = Exp.exp(in[x + start + i] - shift);
                out[o + start + i] = e;
                part += e;
            }
            total += part;
        }
        return total;
    }
}
