// Layer norm over the last dim of in [rows, D] (TL components/layer_norm.py LayerNorm and LayerNormPre,
// llm.c layernorm_forward), for each row r:
//   mean = sum_i x[i] / D,  var = sum_i (x[i] - mean)^2 / D  (biased),  scale = sqrt(var + eps)  (TL hook_scale)
//   normalized[i] = (x[i] - mean) / scale, scale the float above        (TL hook_normalized; normalize())
//   out[i] = normalized[i] * w[i] + b[i], a float multiply then a float add  (w, b [D]; null = LNPre, no affine)
// layerNorm() runs the three per row with the very same row functions as scale() and normalize(), so its out equals
// normalize(scale()) * w + b bit for bit: observing hook_scale or hook_normalized never changes the output.
// out may be the same region as in.
// Vector path, numerically sound for rows with a large mean such as 1e3 +- 1: the mean of float lane sums is
// corrected by the mean of the deviations from it (corrected two-pass), is kept as a float pair hi + lo so that
// (x - hi) - lo is the deviation to within an ulp of the deviation itself, and var sums squared deviations.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/** Row layer norm with optional affine weights, and its two halves scale and normalize; parallel over rows. */
public final class LayerNorm {
    private LayerNorm() {}

    /** out[r,:] = (in[r,:] - mean) / scale * w + b over rows of d; w and b may be null (LNPre). */
    public static void layerNorm(float[] out, int oOff, float[] in, int iOff, float[] w, int wOff, float[] b,
            int bOff, int rows, int d, float eps) {
        if (VectorWidth.SCALAR) {
            layerNormScalar(out, oOff, null, 0, null, 0, in, iOff, w, wOff, b, bOff, rows, d, eps);
            return;
        }
        Chunks.rows(rows, d, (from, to) -> {
            for (int r = from; r < to; r++) {
                double mean = mean(in, iOff + r * d, d);
                float s = scaleRow(in, iOff + r * d, d, mean, eps);
                normalizeRow(out, oOff + r * d, in, iOff + r * d, d, mean, s, w, wOff, b, bOff);
            }
        });
    }

    /** TL's hook_scale: scale[r] = sqrt(var(in[r,:]) + eps) for each of {@code rows} rows of d. */
    public static void scale(float[] scale, int sOff, float[] in, int iOff, int rows, int d, float eps) {
        if (VectorWidth.SCALAR) {
            layerNormScalar(null, 0, scale, sOff, null, 0, in, iOff, null, 0, null, 0, rows, d, eps);
            return;
        }
        Chunks.rows(rows, d, (from, to) -> {
            for (int r = from; r < to; r++) {
                scale[sOff + r] = scaleRow(in, iOff + r * d, d, mean(in, iOff + r * d, d), eps);
            }
        });
    }

    /** TL's hook_normalized: out[r,:] = (in[r,:] - mean) / scale[r], scale as given (e.g. a hook's replacement). */
    public static void normalize(float[] out, int oOff, float[] in, int iOff, float[] scale, int sOff, int rows,
            int d) {
        if (VectorWidth.SCALAR) {
            normalizeScalar(out, oOff, in, iOff, scale, sOff, rows, d);
            return;
        }
        Chunks.rows(rows, d, (from, to) -> {
            for (int r = from; r < to; r++) {
                normalizeRow(out, oOff + r * d, in, iOff + r * d, d, mean(in, iOff + r * d, d), scale[sOff + r], null,
                        0, null, 0);
            }
        });
    }

    /**
     * Scalar twin of {@link #layerNorm}, {@link #scale} and {@link #normalize}: mean and variance in double, scale
     * rounded to float, normalized = (x - mean) / scale in double rounded once, then the float affine. Writes
     * each of out, scale and normalized that is non-null.
     */
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
            float s = (float) Math.sqrt(var / d + eps);
            if (scale != null) {
                scale[sOff + r] = s;
            }
            for (int i = 0; (out != null || normalized != null) && i < d; i++) {
                float norm = (float) ((in[x + i] - mean) / s);
                if (normalized != null) {
                    normalized[nOff + r * d + i] = norm;
                }
                if (out != null) {
                    out[oOff + r * d + i] = affine(norm, w, wOff + i, b, bOff + i);
                }
            }
        }
    }

    /** Scalar twin of {@link #normalize}. */
    static void normalizeScalar(float[] out, int oOff, float[] in, int iOff, float[] scale, int sOff, int rows,
            int d) {
        for (int r = 0; r < rows; r++) {
            int x = iOff + r * d;
            double mean = Reductions.sumRowScalar(in, x, d) / d;
            for (int i = 0; i < d; i++) {
                out[oOff + r * d + i] = (float) ((in[x + i] - mean) / scale[sOff + r]);
            }
        }
    }

    /** v * w + b as two float roundings, as the tensor ops mul then add; w and b may be null. */
    private static float affine(float v, float[] w, int wAt, float[] b, int bAt) {
        float scaled = w == null ? v : v * w[wAt];
        return b == null ? scaled : scaled + b[bAt];
    }

    /** The row mean: float lane sums corrected by the mean deviation from the first estimate, in double. */
    private static double mean(float[] in, int x, int d) {
        double mean = Reductions.sumRow(in, x, d) / d;
        return mean + Reductions.shiftedSumRow(in, x, d, (float) mean, (float) (mean - (float) mean)) / d;
    }

    /** sqrt(var + eps) of one row with the given mean, rounded to float. */
    private static float scaleRow(float[] in, int x, int d, double mean, float eps) {
        float hi = (float) mean;
        return (float) Math.sqrt(squaredDeviations(in, x, d, hi, (float) (mean - hi)) / d + eps);
    }

    /** out[o..] = ((in[x..] - hi) - lo) / s, then * w and + b when non-null (hi + lo: the mean as a float pair). */
    private static void normalizeRow(float[] out, int o, float[] in, int x, int d, double mean, float s, float[] w,
            int wOff, float[] b, int bOff) {
        float hi = (float) mean;
        float lo = (float) (mean - hi);
        int i = 0;
        for (int bound = SPECIES.loopBound(d); i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, in, x + i).sub(hi).sub(lo).div(s);
            if (w != null) {
                v = v.mul(FloatVector.fromArray(SPECIES, w, wOff + i));
            }
            if (b != null) {
                v = v.add(FloatVector.fromArray(SPECIES, b, bOff + i));
            }
            v.intoArray(out, o + i);
        }
        for (; i < d; i++) {
            out[o + i] = affine((in[x + i] - hi - lo) / s, w, wOff + i, b, bOff + i);
        }
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
