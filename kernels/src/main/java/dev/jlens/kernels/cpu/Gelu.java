// GPT-2's GELU (TL's gelu_new, llm.c gelu_forward), elementwise over N floats:
//   gelu(x) = 0.5 x (1 + tanh(u)),  u = sqrt(2/pi) (x + 0.044715 x^3)
// Outputs: out [N] (first argument); out may be the same region as in.
// The vector path uses the identity 0.5 (1 + tanh(u)) = 1 / (1 + exp(-2u)), so gelu(x) = x / (1 + exp(-2u)):
// one vector exp, no cancellation in 1 + tanh(u) for negative x (where torch's float formula loses all digits),
// and no NaN for large |x|: exp overflows to +inf and x / inf = -0 (x^3 overflowing to +-inf is harmless too).
// Only x = -inf gives NaN (-inf / inf), as it does in torch.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/** The tanh-approximation GELU of GPT-2 ({@code gelu_new}), parallel over chunks for large inputs. */
final class Gelu {
    /** -2 sqrt(2/pi): the factor of exp's argument. */
    private static final float MINUS_TWO_SQRT_2_OVER_PI = (float) (-2 * Math.sqrt(2 / Math.PI));
    /** The cubic coefficient of GPT-2's approximation. */
    private static final float CUBIC = 0.044715f;

    private Gelu() {}

    /** out[i] = gelu_new(in[i]) for i &lt; n. */
    public static void geluNew(float[] out, int oOff, float[] in, int iOff, int n) {
        if (VectorWidth.SCALAR) {
            geluNewScalar(out, oOff, in, iOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> geluNewVector(out, oOff + from, in, iOff + from, to - from));
    }

    /** Scalar twin of {@link #geluNew}: the literal tanh formula in double, rounded once. */
    public static void geluNewScalar(float[] out, int oOff, float[] in, int iOff, int n) {
        double c = Math.sqrt(2 / Math.PI);
        for (int i = 0; i < n; i++) {
            double x = in[iOff + i];
            out[oOff + i] = (float) (0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))));
        }
    }

    /** x / (1 + exp(-2 sqrt(2/pi) x (1 + 0.044715 x^2))) per lane; the tail uses the same float formula. */
    private static void geluNewVector(float[] out, int oOff, float[] in, int iOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, in, iOff + i);
            FloatVector inner = x.mul(x).fma(CUBIC, 1f).mul(x).mul(MINUS_TWO_SQRT_2_OVER_PI);
            x.div(Exp.exp(inner).add(1f)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            float x = in[iOff + i];
            float inner = Math.fma(x * x, CUBIC, 1f) * x * MINUS_TWO_SQRT_2_OVER_PI;
            out[oOff + i] = x / (Exp.exp(inner) + 1f);
        }
    }
}
