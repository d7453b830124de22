// Test helpers for the CPU kernels: padded arrays, seeded random data, and the shared allclose on array regions.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Kernel-test data: padded arrays with sentinels around each region, seeded random data, and the shared allclose
 * ({@link dev.jlens.tensor.Close}) on array regions, labelled with the op, the vector width and the shape.
 */
final class Close {
    /** fp32 elementwise tolerances (STYLE.md 5). */
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-5;
    /** Offsets used for every array in the kernel tests, so that no kernel can assume offset 0. */
    static final int OFF_A = 3;
    static final int OFF_B = 5;
    static final int OFF_OUT = 1;
    /** Value written around every region, checked after the kernel ran: kernels must not write outside it. */
    private static final float SENTINEL = -7777.25f;
    private static final int PAD = 4;

    private Close() {}

    /** {@link dev.jlens.tensor.Close}'s allclose on actual[aOff + i] vs expected[eOff + i], i &lt; n. */
    static void assertClose(String op, String shape, float[] expected, int eOff, float[] actual, int aOff, int n,
            double rtol, double atol) {
        dev.jlens.tensor.Close.assertClose(op + " width=" + VectorWidth.bits() + " " + shape, expected, eOff, actual,
                aOff, n, rtol, atol);
    }

    /** {@link #assertClose} with the fp32 elementwise tolerances. */
    static void assertClose(String op, String shape, float[] expected, int eOff, float[] actual, int aOff, int n) {
        assertClose(op, shape, expected, eOff, actual, aOff, n, RTOL, ATOL);
    }

    /** A new array of off + n + PAD floats, all SENTINEL. */
    static float[] padded(int off, int n) {
        float[] a = new float[off + n + PAD];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    /** A padded array whose region [off, off + n) holds uniform floats in [lo, hi) from {@code seed}. */
    static float[] random(long seed, int off, int n, float lo, float hi) {
        float[] a = padded(off, n);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /** Asserts that a kernel wrote nothing outside [off, off + n) of a padded output array. */
    static void assertUntouched(String op, String shape, float[] a, int off, int n) {
        for (int i = 0; i < a.length; i++) {
            if ((i < off || i >= off + n) && Float.compare(a[i], SENTINEL) != 0) {
                fail(String.format("%s width=%d %s: wrote %s at array index %d outside its region [%d, %d)", op,
                        VectorWidth.bits(), shape, a[i], i, off, off + n));
            }
        }
    }
}
