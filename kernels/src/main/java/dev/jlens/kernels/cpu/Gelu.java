// GPT-2's GELU (TL's gelu_new, llm.c gelu_forward), elementwise over N floats:
//   gelu(x) = 0.5 x (1 + tanh(u)),  u = sqrt(2/pi) (x + 0.044715 x^3)
// Outputs: out [N] (first argument); out may be the same region as in.
// The vector path uses the identity 0.5 (1 + tanh(u)) = 1 / (1 + exp(-2u)), so gelu(x) = x / (1 + exp(-2u)):
// one vector exp, no cancellation in 1 + tanh(u) for negative x (where torch's float formula loses all digits),
// and no NaN for large |x|: exp overflows to +inf and x / inf = -0 (x^3 overflowing to +-inf is harmless too).
// Only x = -inf gives NaN (-inf / inf), as it does in torch.
// Backward: with s = 1 / (1 + exp(-2u)) = 0.5 (1 + tanh(u)) and du/dx = sqrt(2/pi) (1 + 3 0.044715 x^2),
//   gelu'(x) = s + 2 x s (1 - s) du/dx,
// from one exp m = exp(-2|u|) <= 1: a = 1 / (1 + m) and b = m a are s and 1 - s (swapped for x < 0), both
// accurate (1 - s is never a difference of nearly equal floats) and s (1 - s) = a b. The polynomial is taken at x
// clamped to [-20, 20], where a b is already 0 in float, so huge |x| give 1 or 0, not inf * 0. The vector loop and
// its scalar twin (the tail) give the same bits.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;

/** The tanh-approximation GELU of GPT-2 ({@code gelu_new}), parallel over chunks for large inputs. */
final class Gelu {
    /** -2 sqrt(2/pi): the factor of exp's argument. */
    private static final float MINUS_TWO_SQRT_2_OVER_PI = (float) (-2 * Math.sqrt(2 / Math.PI));
    /** The cubic coefficient of GPT-2's approximation. */
    private static final float CUBIC = 0.044715f;
    /** 2 sqrt(2/pi): du/dx's factor, doubled. */
    private static final float TWO_SQRT_2_OVER_PI = (float) (2 * Math.sqrt(2 / Math.PI));
    /** |x| beyond which s (1 - s) is 0 in float: the backward's du/dx is taken at x clamped to it. */
    private static final float CLAMP = 20f;

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

    /** out[i] = g[i] gelu_new'(x[i]) for i &lt; n: the gelu_new backward; out may be the same region as g. */
    public static void geluNewBackward(float[] out, int oOff, float[] x, int xOff, float[] g, int gOff, int n) {
        if (VectorWidth.SCALAR) {
            geluNewBackwardTwin(out, oOff, x, xOff, g, gOff, 0, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> geluNewBackwardVector(out, oOff + from, x, xOff + from, g, gOff + from,
                to - from));
    }

    /** Elements [from, n) of {@link #geluNewBackward} in float, bit for bit what the vector loop computes. */
    static void geluNewBackwardTwin(float[] out, int oOff, float[] x, int xOff, float[] g, int gOff, int from,
            int n) {
        for (int i = from; i < n; i++) {
            float v = x[xOff + i];
            float m = Exp.exp(Math.fma(v * v, CUBIC, 1f) * Math.abs(v) * MINUS_TWO_SQRT_2_OVER_PI); // exp(-2|u|)
            float a = 1f / (m + 1f); // sigmoid(2|u|)
            float b = m * a;         // sigmoid(-2|u|)
            float c = Math.min(Math.max(v, -CLAMP), CLAMP);
            float du = Math.fma(c * c, 3 * CUBIC, 1f) * c * TWO_SQRT_2_OVER_PI; // 2 du/dx
            out[oOff + i] = g[gOff + i] * Math.fma(du, a * b, v < 0 ? b : a); // s + 2 du/dx s (1 - s)
        }
    }

    private static void geluNewBackwardVector(float[] out, int oOff, float[] x, int xOff, float[] g, int gOff,
            int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            FloatVector m = Exp.exp(v.mul(v).fma(CUBIC, 1f).mul(v.abs()).mul(MINUS_TWO_SQRT_2_OVER_PI));
            FloatVector a = FloatVector.broadcast(SPECIES, 1f).div(m.add(1f));
            FloatVector b = m.mul(a);
            FloatVector c = v.max(-CLAMP).min(CLAMP);
            FloatVector du = c.mul(c).fma(3 * CUBIC, 1f).mul(c).mul(TWO_SQRT_2_OVER_PI);
            FloatVector s = a.blend(b, v.lt(0f));
            FloatVector.fromArray(SPECIES, g, gOff + i).mul(du.fma(a.mul(b), s)).intoArray(out, oOff + i);
        }
        geluNewBackwardTwin(out, oOff, x, xOff, g, gOff, i, n);
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
