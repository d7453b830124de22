// Row reductions against their scalar twins (odd sizes, offsets, ties, -inf and NaN rows) and the twins against
// hand values.
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

class ReductionsTest {
    /** Sums of up to 1000 terms in [-1, 1): float lanes vs double differ by ~1e-6 absolute, so atol 1e-4. */
    private static final double SUM_ATOL = 1e-4;

    /** A row reduction or its twin: (out, oOff, in, iOff, rows, n). */
    private interface RowKernel {
        void run(float[] out, int oOff, float[] in, int iOff, int rows, int n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 31, 33, 768, 1000})
    void matchesScalarTwins(int n) {
        for (int rows : new int[] {1, 3, 100}) {
            float[] in = Close.random(43L * n + rows, OFF_A, rows * n, -1f, 1f);
            check("sum", Reductions::sum, Reductions::sumScalar, in, rows, n, SUM_ATOL);
            check("mean", Reductions::mean, Reductions::meanScalar, in, rows, n, Close.ATOL);
            check("max", Reductions::max, Reductions::maxScalar, in, rows, n, 0);
            check("logsumexp", Reductions::logsumexp, Reductions::logsumexpScalar, in, rows, n, Close.ATOL);
            checkArgmax(in, rows, n);
        }
    }

    @Test
    void longSumStaysAccurate() {
        int n = 1 << 20;
        float[] in = Close.random(47, OFF_A, n, 0f, 1f);
        float[] expected = new float[1];
        float[] actual = new float[1];
        Reductions.sumScalar(expected, 0, in, OFF_A, 1, n);
        Reductions.sum(actual, 0, in, OFF_A, 1, n);
        // blocked float lanes: relative error about BLOCK / lanes * 2^-24, far below the 1e-5 default
        assertClose("sum", "[rows=1, n=2^20]", expected, 0, actual, 0, 1, 1e-5, 0);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndTheFirstNan() {
        int n = 37;
        float[] in = Close.random(53, OFF_A, 3 * n, -1f, 1f);
        in[OFF_A + 20] = 5f;
        in[OFF_A + 30] = 5f;
        in[OFF_A + n + 36] = 7f;
        in[OFF_A + 2 * n + 17] = Float.NaN;
        in[OFF_A + 2 * n + 25] = Float.NaN;
        int[] out = new int[3];
        Reductions.argmax(out, 0, in, OFF_A, 3, n);
        assertArrayEquals(new int[] {20, 36, 17}, out, "argmax width=" + VectorWidth.bits());
        Reductions.argmaxScalar(out, 0, in, OFF_A, 3, n);
        assertArrayEquals(new int[] {20, 36, 17}, out, "argmaxScalar");
    }

    @Test
    void rowsOfMinusInfinity() {
        float[] in = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] out = new float[1];
        Reductions.logsumexp(out, 0, in, 0, 1, 3);
        assertEquals(Float.NEGATIVE_INFINITY, out[0], "logsumexp of an all -inf row");
        Reductions.max(out, 0, in, 0, 1, 3);
        assertEquals(Float.NEGATIVE_INFINITY, out[0], "max of an all -inf row");
        int[] arg = new int[1];
        Reductions.argmax(arg, 0, in, 0, 1, 3);
        assertEquals(0, arg[0], "argmax of an all -inf row");
    }

    @Test
    void scalarTwinsMatchHandValues() {
        float[] in = {1f, 2f, 3f, 4f, 0f, (float) Math.log(2)};
        float[] out = new float[3];
        Reductions.sumScalar(out, 0, in, 0, 3, 2);
        assertArrayEquals(new float[] {3f, 7f, (float) Math.log(2)}, out);
        Reductions.meanScalar(out, 0, in, 0, 3, 2);
        assertArrayEquals(new float[] {1.5f, 3.5f, (float) Math.log(2) / 2}, out);
        Reductions.maxScalar(out, 0, in, 0, 3, 2);
        assertArrayEquals(new float[] {2f, 4f, (float) Math.log(2)}, out);
        Reductions.logsumexpScalar(out, 0, in, 0, 3, 2);
        assertArrayEquals(new float[] {(float) (2 + Math.log1p(Math.exp(-1))), (float) (4 + Math.log1p(Math.exp(-1))),
            (float) Math.log(3)}, out, 1e-6f);
        int[] arg = new int[3];
        Reductions.argmaxScalar(arg, 0, new float[] {1f, 3f, 3f, -1f, -2f, -1f}, 0, 2, 3);
        assertArrayEquals(new int[] {1, 0}, new int[] {arg[0], arg[1]});
    }

    private static void check(String op, RowKernel kernel, RowKernel twin, float[] in, int rows, int n, double atol) {
        float[] expected = Close.padded(OFF_OUT, rows);
        float[] actual = Close.padded(OFF_OUT, rows);
        twin.run(expected, OFF_OUT, in, OFF_A, rows, n);
        kernel.run(actual, OFF_OUT, in, OFF_A, rows, n);
        String shape = "[rows=" + rows + ", n=" + n + "]";
        assertClose(op, shape, expected, OFF_OUT, actual, OFF_OUT, rows, Close.RTOL, atol);
        assertUntouched(op, shape, actual, OFF_OUT, rows);
    }

    private static void checkArgmax(float[] in, int rows, int n) {
        int[] expected = new int[OFF_OUT + rows];
        int[] actual = new int[OFF_OUT + rows];
        Reductions.argmaxScalar(expected, OFF_OUT, in, OFF_A, rows, n);
        Reductions.argmax(actual, OFF_OUT, in, OFF_A, rows, n);
        assertArrayEquals(expected, actual, "argmax width=" + VectorWidth.bits() + " [rows=" + rows + ", n=" + n + "]");
    }
}
