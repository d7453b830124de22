// Layer norm over the last dim of in [rows, D] (TL components/layer_norm.py LayerNorm and LayerNormPre,
// llm.c layernorm_forward), for each row r:
//   mean = sum_i x[i] / D,  var = sum_i (x[i] - mean)^2 / D  (biased),  scale = sqrt(var + eps)
//   normalized[i] = (x[i] - mean) / scale                      (TL hook_normalized, [rows, D])
//   out[i] = normalized[i] * w[i] + b[i]                        (w, b [D]; null = LNPre, no affine)
// Outputs: out [rows, D], and in the long overload scale [rows] (TL hook_scale) and normalized [rows, D], each
// nullable. out may be the same region as in.
// Vector path, numerically sound for rows with a large mean such as 1e3 +- 1: the mean of float lane sums is
// corrected by the mean of the deviations from it (corrected two-pass), is kept as a float pair hi + lo so that
// (x - hi) - lo is the deviation to within an ulp of the deviation itself, and var sums squared deviations.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/** Row layer norm with optional affine weights and optional hook outputs, parallel over rows. */
public final class LayerNorm {
    private LayerNorm() {}

    /** out[r,:] = (in[r,:] - mean) / sqrt(var + eps) * w + b over rows of d; w and b may be null (LNPre). */
    public static void layerNorm(float[] out, int oOff, float[] in, int iOff, float[] w, int wOff, float[] b,
            int bOff, int rows, int d, float eps) {
        layerNorm(out, oOff, null, 0, null, 0, in, iOff, w, wOff, b, bOff, rows, d, eps);
    }

    /**
     * {@link #layerNorm(float[], int, float[], int, float[], int, float[], int, int, int, float) layerNorm} that
     * also writes scale[r] = sqrt(var + eps) and normalized[r,:] = (in[r,:] - mean) / scale[r] when those arrays
     * are non-null.
     */
    public static void layerNorm(float[] out, int oOff, float[] scale, int sOff, float[] normalized, int nOff,
            float[] in, int iOff, float[] w, int wOff, float[] b, int bOff, int rows, int d, float eps) {
        if (VectorWidth.SCALAR) {
            layerNormScalar(out, oOff, scale, sOff, normalized, nOff, in, iOff, w, wOff, b, bOff, rows, d, eps);
            return;
        }
        Chunks.rows(rows, d, (from, to) -> {
            for (int r = from; r < to; r++) {
                float s = layerNormRow(out, oOff + r * d, normalized, nOff + r * d, in, iOff + r * d, w, wOff, b,
                        bOff, d, eps);
                if (scale != null) {
                    scale[sOff + r] = s;
                }
            }
        });
    }

    /** Scalar twin of the long {@code layerNorm}: mean, variance and the affine in double. */
    static void layerNormScalar(float[] out, int oOff, float[] scale, int sOff, float[] normalized, int nOff,
            float[] in, int iOff, float[] w, int wOff, float[] b, int bOff, int rows, int d, float eps) {
        for (int r = 0; r < rows; r++) {
            int x = iOff + r * d;
            double mean = Reductions.sumRowScalar(in, x, d) / d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double dev = in[x + i] - mean;
                var += dev * dev;
            }
            double s = Math.sqrt(var / d + eps);
            if (scale != null) {
                scale[sOff + r] = (float) s;
            }
            for (int i = 0; i < d; i++) {
                double norm = (in[x + i] - mean) / s;
                if (normalized != null) {
                    normalized[nOff + r * d + i] = (float) norm;
                }
                out[oOff + r * d + i] = (float) (norm * (w == null ? 1 : w[wOff + i]) + (b == null ? 0 : b[bOff + i]));
            }
        }
    }

    /** One row: returns sqrt(var + eps) after writing out (and normalized when non-null). */
    private static float layerNormRow(float[] out, int o, float[] normalized, int nrm, float[] in, int x, float[] w,
            int wOff, float[] b, int bOff, int d, float eps) {
        double mean = Reductions.sumRow(in, x, d) / d;
        mean += Reductions.shiftedSumRow(in, x, d, (float) mean, (float) (mean - (float) mean)) / d;
        float hi = (float) mean;
        float lo = (float) (mean - hi);
        double s = Math.sqrt(squaredDeviations(in, x, d, hi, lo) / d + eps);
        float rstd = (float) (1 / s);
        int i = 0;
        for (int bound = SPECIES.loopBound(d); i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, in, x + i).sub(hi).sub(lo).mul(rstd);
            if (normalized != null) {
                v.intoArray(normalized, nrm + i);
            }
            if (w != null) {
                v = v.mul(FloatVector.fromArray(SPECIES, w, wOff + i));
            }
            if (b != null) {
                v = v.add(FloatVector.fromArray(SPECIES, b, bOff + i));
            }
            v.intoArray(out, o + i);
        }
        for (; i < d; i++) {
            float v = (in[x + i] - hi - lo) * rstd;
            if (normalized != null) {
                normalized[nrm + i] = v;
            }
            out[o + i] = v * (w == null ? 1f : w[wOff + i]) + (b == null ? 0f : b[bOff + i]);
        }
        return (float) s;
    }

    /** Sum of ((x - hi) - lo)^2 over in[x .. x+d): FMA in float lanes per block, blocks added in double. */
    private static double squaredDeviations(float[] in, int x, int d, float hi, float lo) {
        double total = 0;
        for (int start = 0; start < d; start += Reductions.BLOCK) {
            int len = Math.min(Reductions.BLOCK, d - start);
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (int bound = SPECIES.loopBound(len); i < bound; i += SPECIES.length()) {
                FloatVector dev = FloatVector.fromArray(SPECIES, in, x + start + i).sub(hi).sub(lo);
                acc = dev.fma(dev, acc);
            }
            float part = Lanes.sum(acc);
            for (; i < len; i++) {
                float dev = in[x + start + i] - hi - lo;
                part = Math.fma(dev, dev, part);
            }
            total += part;
        }
        return total;
    }
}
