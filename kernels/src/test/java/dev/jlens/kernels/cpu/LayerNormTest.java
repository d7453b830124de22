// Layer norm against its scalar twin (odd sizes, offsets, with and without affine, large means, in place), its
// halves scale and normalize against the twin and, bit for bit, the fused kernel against its halves plus the affine;
// the twin against hand values.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.Close.OFF_A;
import static dev.jlens.kernels.cpu.Close.OFF_B;
import static dev.jlens.kernels.cpu.Close.OFF_OUT;
import static dev.jlens.kernels.cpu.Close.assertClose;
import static dev.jlens.kernels.cpu.Close.assertUntouched;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerNormTest {
    private static final float EPS = 1e-5f;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 31, 33, 768, 1000})
    void matchesScalarTwin(int d) {
        for (int rows : new int[] {1, 3, 100}) {
            float[] in = Close.random(59L * d + rows, OFF_A, rows * d, -3f, 3f);
            check(in, rows, d, true, true, true);
            check(in, rows, d, false, false, false);
            check(in, rows, d, true, false, true);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 9, 33, 768, 1000})
    void largeMeanRows(int d) {
        // values around 1e3 +- 1: a naive float mean would shift every output by ~1e-4
        float[] in = Close.random(61L * d, OFF_A, 4 * d, 999f, 1001f);
        check(in, 4, d, true, true, true);
        check(in, 4, d, false, true, false);
    }

    @Test
    void inPlace() {
        int rows = 3;
        int d = 33;
        float[] in = Close.random(67, OFF_A, rows * d, -2f, 2f);
        float[] w = Close.random(71, OFF_B, d, 0.5f, 1.5f);
        float[] expected = Close.padded(OFF_A, rows * d);
        LayerNorm.layerNormScalar(expected, OFF_A, null, 0, null, 0, in, OFF_A, w, OFF_B, null, 0, rows, d, EPS);
        LayerNorm.layerNorm(in, OFF_A, in, OFF_A, w, OFF_B, null, 0, rows, d, EPS);
        assertClose("layerNorm in place", "[rows=3, d=33]", expected, OFF_A, in, OFF_A, rows * d);
    }

    @Test
    void scalarTwinMatchesHandValues() {
        float[] out = new float[3];
        float[] scale = new float[1];
        float[] normalized = new float[3];
        float[] in = {1f, 2f, 3f};
        // mean 2, biased var 2/3: normalized = [-1, 0, 1] / sqrt(2/3)
        LayerNorm.layerNormScalar(out, 0, scale, 0, normalized, 0, in, 0, null, 0, null, 0, 1, 3, 0f);
        float r = (float) Math.sqrt(1.5);
        // normalized divides by the float scale (TL's hook_scale), so 1 ulp of scale (6e-8 relative) shows: 2e-7
        assertArrayEquals(new float[] {-r, 0f, r}, normalized, 2e-7f);
        assertArrayEquals(new float[] {-r, 0f, r}, out, 2e-7f);
        assertArrayEquals(new float[] {(float) Math.sqrt(2.0 / 3)}, scale, 1e-7f);
        LayerNorm.layerNormScalar(out, 0, null, 0, null, 0, in, 0, new float[] {1f, 2f, 3f}, 0,
                new float[] {0.5f, 0.5f, -1f}, 0, 1, 3, 0f);
        assertArrayEquals(new float[] {0.5f - r, 0.5f, 3 * r - 1}, out, 1e-6f);
    }

    private static void check(float[] in, int rows, int d, boolean affine, boolean hooks, boolean bias) {
        float[] w = affine ? Close.random(73L * d, OFF_B, d, 0.5f, 1.5f) : null;
        float[] b = bias ? Close.random(79L * d, OFF_A, d, -1f, 1f) : null;
        String shape = String.format("[rows=%d, d=%d, w=%b, b=%b, hooks=%b]", rows, d, affine, bias, hooks);
        float[] expected = Close.padded(OFF_OUT, rows * d);
        float[] actual = Close.padded(OFF_OUT, rows * d);
        float[] scaleE = hooks ? Close.padded(OFF_B, rows) : null;
        float[] scaleA = hooks ? Close.padded(OFF_B, rows) : null;
        float[] normE = hooks ? Close.padded(OFF_A, rows * d) : null;
        float[] normA = hooks ? Close.padded(OFF_A, rows * d) : null;
        LayerNorm.layerNormScalar(expected, OFF_OUT, scaleE, OFF_B, normE, OFF_A, in, OFF_A, w, OFF_B, b, OFF_A, rows,
                d, EPS);
        LayerNorm.layerNorm(actual, OFF_OUT, in, OFF_A, w, OFF_B, b, OFF_A, rows, d, EPS);
        assertClose("layerNorm", shape, expected, OFF_OUT, actual, OFF_OUT, rows * d);
        assertUntouched("layerNorm", shape, actual, OFF_OUT, rows * d);
        if (hooks) {
            LayerNorm.scale(scaleA, OFF_B, in, OFF_A, rows, d, EPS);
            LayerNorm.normalize(normA, OFF_A, in, OFF_A, scaleA, OFF_B, rows, d);
            assertClose("layerNorm scale", shape, scaleE, OFF_B, scaleA, OFF_B, rows);
            assertUntouched("layerNorm scale", shape, scaleA, OFF_B, rows);
            assertClose("layerNorm normalized", shape, normE, OFF_A, normA, OFF_A, rows * d);
            assertUntouched("layerNorm normalized", shape, normA, OFF_A, rows * d);
            // one arithmetic: the fused kernel is its halves and the float affine, bit for bit
            for (int i = 0; i < rows * d; i++) {
                float n = normA[OFF_A + i];
                float scaled = w == null ? n : n * w[OFF_B + i % d];
                float want = b == null ? scaled : scaled + b[OFF_A + i % d];
                assertEquals(want, actual[OFF_OUT + i], "fused vs scale, normalize, affine " + shape + " at " + i);
            }
        }
        if (!affine && !bias && !hooks) {
            float[] shortForm = Close.padded(OFF_OUT, rows * d);
            LayerNorm.layerNorm(shortForm, OFF_OUT, in, OFF_A, null, 0, null, 0, rows, d, EPS);
            assertClose("layerNorm (short overload)", shape, expected, OFF_OUT, shortForm, OFF_OUT, rows * d);
        }
    }
}
