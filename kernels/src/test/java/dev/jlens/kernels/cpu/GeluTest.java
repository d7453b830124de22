// GELU (gelu_new) against its scalar twin, the twin against hand values, and large |x| without NaN.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.Close.OFF_A;
import static dev.jlens.kernels.cpu.Close.OFF_OUT;
import static dev.jlens.kernels.cpu.Close.assertClose;
import static dev.jlens.kernels.cpu.Close.assertUntouched;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeluTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 31, 33, 768, 1000, 100_003})
    void matchesScalarTwin(int n) {
        check(n, -6f, 6f);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 1000})
    void matchesScalarTwinForLargeInputs(int n) {
        check(n, -20f, 20f);
    }

    @Test
    void noNanForHugeInputs() {
        float[] in = {20f, -20f, 1e4f, -1e4f, 1e20f, -1e20f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -1e-30f, 0f};
        float[] expected = new float[in.length];
        float[] actual = new float[in.length];
        Gelu.geluNewScalar(expected, 0, in, 0, in.length);
        Gelu.geluNew(actual, 0, in, 0, in.length);
        assertClose("geluNew", "[huge |x|]", expected, 0, actual, 0, in.length, 1e-6, 0);
        assertArrayEquals(new float[] {20f, 0f, 1e4f, 0f, 1e20f, 0f, Float.MAX_VALUE, 0f, 5e-31f, -5e-31f, 0f},
                expected, 1e-36f);
    }

    @Test
    void scalarTwinMatchesHandValues() {
        float[] in = {0f, 1f, -1f, 2f, -3f, 0.5f};
        float[] out = new float[in.length];
        Gelu.geluNewScalar(out, 0, in, 0, in.length);
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) evaluated in float64
        float[] expected = {0f, 0.8411919906f, -0.1588080094f, 1.9545976941f, -0.0036373921f, 0.3457140098f};
        assertArrayEquals(expected, out, 1e-7f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 9, 33, 1000, 100_003})
    void backwardIsItsScalarTwinBitForBitAndTheDerivative(int n) {
        float[] x = Close.random(31L * n, OFF_A, n, -25f, 25f);
        float[] g = Close.random(37L * n, OFF_A, n, -2f, 2f);
        float[] twin = new float[OFF_OUT + n];
        float[] actual = new float[OFF_OUT + n];
        Gelu.geluNewBackwardTwin(twin, OFF_OUT, x, OFF_A, g, OFF_A, 0, n);
        Gelu.geluNewBackward(actual, OFF_OUT, x, OFF_A, g, OFF_A, n);
        assertArrayEquals(twin, actual); // one arithmetic: the vector loop is its twin, whatever the tier or width
        for (int i = 0; i < n; i++) { // g d/dx 0.5 x (1 + tanh(c (x + a x^3))) in double
            double v = x[OFF_A + i];
            double c = Math.sqrt(2 / Math.PI);
            double t = Math.tanh(c * (v + 0.044715 * v * v * v));
            double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
            assertEquals(g[OFF_A + i] * d, actual[OFF_OUT + i], 1e-6 * (1 + Math.abs(g[OFF_A + i] * d)), "x=" + v);
        }
    }

    @Test
    void backwardOfHugeInputsIsTheLimit() {
        float[] cycle = {1e20f, -1e20f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 30f, -30f};
        int n = 6 * 11; // vector lanes and the scalar tail alike
        float[] x = new float[n];
        float[] g = new float[n];
        float[] want = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = cycle[i % 6];
            g[i] = 2f;
            want[i] = i % 2 == 0 ? 2f : 0f; // gelu' is 1 at +inf, 0 at -inf
        }
        float[] out = new float[n];
        Gelu.geluNewBackward(out, 0, x, 0, g, 0, n);
        assertArrayEquals(want, out);
    }

    private static void check(int n, float lo, float hi) {
        float[] in = Close.random(29L * n, OFF_A, n, lo, hi);
        float[] expected = Close.padded(OFF_OUT, n);
        float[] actual = Close.padded(OFF_OUT, n);
        Gelu.geluNewScalar(expected, OFF_OUT, in, OFF_A, n);
        Gelu.geluNew(actual, OFF_OUT, in, OFF_A, n);
        String shape = "[n=" + n + ", x in [" + lo + ", " + hi + ")]";
        assertClose("geluNew", shape, expected, OFF_OUT, actual, OFF_OUT, n);
        assertUntouched("geluNew", shape, actual, OFF_OUT, n);
    }
}
