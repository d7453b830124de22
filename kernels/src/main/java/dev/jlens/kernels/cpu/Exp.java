// exp(x) in float32 from IEEE-exact operations only (fma, mul, add, shifts), so every JIT tier gives the same bits.
//
// Cephes expf (S. L. Moshier), range-reduced with fused multiply-adds:
//   k = floor(x log2(e) + 1/2),  r = x - k C1 - k C2  (C1 + C2 = ln 2, C1 exact in few bits),  |r| <~ ln(2)/2
//   exp(r) ~ 1 + r + r^2 (P0 r^5 + P1 r^4 + ... + P5),  relative error ~1e-7 on the reduced range
//   exp(x) = exp(r) 2^(k/2) 2^(k - k/2)  (two factors, so k from -150 to 128 stays within normal exponents)
// x below -104 (and -inf) gives 0, above ln(FLT_MAX) +inf, NaN gives NaN. The Vector API's EXP is not used: C2
// computes it with a vector math library and the interpreter and C1 with Math.exp per lane, which differ by ulps.
package dev.jlens.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The exp of the softmax, attention and gelu kernels: {@link #exp(FloatVector)} and its scalar twin, bit-equal. */
final class Exp {
    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final float LOG2E = 1.44269504088896341f;
    private static final int BIAS = 256; // added before truncating, so truncation is a floor for x >= -104
    private static final float BIASED_HALF = BIAS + 0.5f;
    private static final float C1 = 0.693359375f;
    private static final float C2 = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    private static final float LO = -104f;
    private static final float HI = 88.72283935546875f; // ln(FLT_MAX), rounded down

    private Exp() {}

    /** exp of each lane. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x; // lanes outside [LO, HI] compute garbage here and are replaced below; NaN stays NaN
        IntVector k = (IntVector) c.fma(LOG2E, BIASED_HALF).convert(VectorOperators.F2I, 0);
        k = k.sub(BIAS);
        FloatVector kf = (FloatVector) k.convert(VectorOperators.I2F, 0);
        FloatVector r = kf.fma(v(-C1), c);
        r = kf.fma(v(-C2), r);
        FloatVector p = r.fma(P0, P1).fma(r, v(P2)).fma(r, v(P3)).fma(r, v(P4)).fma(r, v(P5));
        FloatVector y = p.fma(r.mul(r), r.add(1f));
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        y = y.mul(pow2(half)).mul(pow2(k.sub(half)));
        VectorMask<Float> under = x.compare(VectorOperators.LT, LO);
        VectorMask<Float> over = x.compare(VectorOperators.GT, HI);
        return y.blend(FloatVector.zero(S), under).blend(FloatVector.broadcast(S, Float.POSITIVE_INFINITY), over);
    }

    private static FloatVector v(float c) {
        return FloatVector.broadcast(S, c);
    }

    /** 2^k for k in [-126, 127], built from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations in the same order, so the same bits. */
    static float exp(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        if (x < LO) {
            return 0f;
        }
        if (x > HI) {
            return Float.POSITIVE_INFINITY;
        }
        int k = (int) Math.fma(x, LOG2E, BIASED_HALF) - BIAS;
        float kf = k;
        float r = Math.fma(kf, -C1, x);
        r = Math.fma(kf, -C2, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
        float y = Math.fma(p, r * r, r + 1f);
        int half = k >> 1;
        return y * pow2(half) * pow2(k - half);
    }

    private static float pow2(int k) {
        return Float.intBitsToFloat((k + 127) << 23);
    }
}
