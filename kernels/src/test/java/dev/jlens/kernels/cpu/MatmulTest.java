// Matmul (C[M,N] = A[M,K] . B[K,N]) against its scalar twin, at the vector width of this JVM (-Djlens.vectorBits).
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Packed and unpacked {@link Matmul#multiply} against {@link Matmul#multiplyScalar} on odd shapes (tails in
 * M, N and K), transposed B, nonzero offsets and row strides wider than the rows. The surefire executions
 * in kernels/pom.xml rerun this class at widths 0, 128 and 512 besides the preferred one.
 */
class MatmulTest {
    // 8 and 14: the 8-row tiles; 487: two MC blocks and a 7-row tail
    private static final int[] MS = {1, 2, 3, 7, 8, 9, 14, 17, 120, 487};
    private static final int[] NS = {1, 5, 8, 23, 97, 300};
    private static final int[] KS = {1, 3, 64, 77, 768};
    private static final double RTOL = 1e-5;

    /** fp32 rounding in a K-term dot product of O(1) terms grows like a random walk, so atol ~ 1e-5 * sqrt(K). */
    private static double atol(int k) {
        return 1e-5 * Math.sqrt(Math.max(k, 1));
    }

    @Test
    void runsAtTheRequestedWidth() {
        String requested = System.getProperty("jlens.vectorBits");
        if (requested != null) {
            assertEquals(Integer.parseInt(requested), VectorWidth.bits(), "-Djlens.vectorBits=" + requested);
        }
    }

    @Test
    void packedMatchesScalarOnOddShapes() {
        Random random = new Random(42);
        for (int m : MS) {
            for (int n : NS) {
                for (int k : KS) {
                    if ((long) m * n * k > 3_000_000L) {
                        continue; // the widest shapes run in largeShapesMatchScalar, once
                    }
                    checkPacked(random, m, n, k);
                }
            }
        }
    }

    @Test
    void eightRowsGiveTheBitsOfTheSameRowsInALongerProduct() {
        // 8 rows run as tile8x2 pairs of panels; rows 6..13 of 14 as tile8: the same sums in the same order
        // (without 8-row tiles, rows of 14 and of 8 fall into differently split 2-row tiles: nothing to compare)
        assumeTrue(GemmKernel.TILE8, "8-row tiles only at 512 bits");
        Random random = new Random(11);
        int k = 300;
        int n = 40 * GemmKernel.NR + 5; // pairs of whole panels, a leftover panel and a tail
        float[] a = new float[14 * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
        PackedMatrix packed = Matmul.pack(b, 0, n, 1, k, n);
        float[] all = new float[14 * n];
        Matmul.multiply(all, 0, n, a, 0, k, packed, 14);
        float[] eight = new float[8 * n];
        Matmul.multiply(eight, 0, n, a, 6 * k, k, packed, 8);
        assertArrayEquals(Arrays.copyOfRange(all, 6 * n, 14 * n), eight, "8 rows alone vs rows 6..13 of 14");
    }

    @Test
    void largeShapesMatchScalar() {
        Random random = new Random(7);
        checkPacked(random, 120, 300, 768);
        checkPacked(random, 487, 300, 768); // parallel tasks of one M block each, and a tail panel
        checkPacked(random, 1, 5003, 768); // one row: parallel tasks of gemv4 quads, leftover panels and a tail
        checkUnpackedTransposed(random, 17, 300, 768);
    }

    @Test
    void unpackedTransposedBMatchesScalar() {
        Random random = new Random(43);
        for (int m : MS) {
            for (int n : NS) {
                int k = KS[(m + n) % KS.length];
                if ((long) m * n * k <= 3_000_000L) {
                    checkUnpackedTransposed(random, m, n, k);
                }
            }
        }
    }

    @Test
    void overwritesEveryElementOfC() {
        Random random = new Random(44);
        for (int[] s : new int[][] {{7, 23, 77}, {120, 97, 64}, {1, 300, 3}, {8, 16, 1}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = randoms(random, m * k);
            float[] b = randoms(random, k * n);
            float[] c = new float[m * n];
            Arrays.fill(c, Float.NaN);
            Matmul.multiply(c, 0, n, a, 0, k, Matmul.pack(b, 0, n, 1, k, n), m);
            float[] expected = new float[m * n];
            Matmul.multiplyScalar(expected, 0, n, a, 0, k, b, 0, n, 1, m, n, k);
            assertClose("packed, C prefilled with NaN", m, n, k, expected, 0, n, c, 0, n);
        }
    }

    @Test
    void leavesCOutsideTheProductUntouched() {
        Random random = new Random(45);
        int m = 9;
        int n = 23;
        int k = 64;
        int ldc = n + 5;
        float[] c = new float[3 + m * ldc + 4];
        Arrays.fill(c, -7f);
        Matmul.multiply(c, 3, ldc, randoms(random, m * k), 0, k, Matmul.pack(randoms(random, k * n), 0, n, 1, k, n), m);
        for (int i = 0; i < c.length; i++) {
            int row = (i - 3) / ldc;
            int col = (i - 3) % ldc;
            boolean inside = i >= 3 && row < m && col < n;
            if (!inside) {
                assertEquals(-7f, c[i], "C[" + i + "] outside the " + m + "x" + n + " product (ldc " + ldc
                        + ") changed");
            }
        }
    }

    @Test
    void emptyAndZeroKShapes() {
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Matmul.multiply(c, 0, 2, new float[0], 0, 0, new float[0], 0, 2, 1, 2, 2, 0);
        assertTrue(Arrays.equals(new float[4], c), "K=0 must give C = 0, got " + Arrays.toString(c));
        Matmul.multiply(c, 0, 2, new float[0], 0, 3, Matmul.pack(new float[6], 0, 2, 1, 3, 2), 0);
    }

    @Test
    void badArgumentsNameTheShapes() {
        PackedMatrix b = Matmul.pack(new float[12], 0, 4, 1, 3, 4);
        IllegalArgumentException shortA = assertThrows(IllegalArgumentException.class,
                () -> Matmul.multiply(new float[8], 0, 4, new float[5], 0, 3, b, 2));
        assertTrue(shortA.getMessage().contains("A[2, 3]"), shortA.getMessage());
        IllegalArgumentException narrowC = assertThrows(IllegalArgumentException.class,
                () -> Matmul.multiply(new float[8], 0, 3, new float[6], 0, 3, b, 2));
        assertTrue(narrowC.getMessage().contains("C[2, 4]"), narrowC.getMessage());
        IllegalArgumentException shortB = assertThrows(IllegalArgumentException.class,
                () -> Matmul.pack(new float[11], 0, 4, 1, 3, 4));
        assertTrue(shortB.getMessage().contains("B[3, 4]"), shortB.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Matmul.multiply(new float[8], 0, 4, new float[6], 0, 3, new float[11], 0, 1, 3, 2, 4, 3));
    }

    /** A with lda = K + 3 at offset 5, B row-major with its own offset, C with ldc = N + 2 at offset 1. */
    private static void checkPacked(Random random, int m, int n, int k) {
        int lda = k + 3;
        int ldc = n + 2;
        float[] a = randoms(random, 5 + m * lda);
        float[] b = randoms(random, 2 + k * n);
        float[] c = new float[1 + m * ldc];
        float[] expected = new float[1 + m * ldc];
        Matmul.multiply(c, 1, ldc, a, 5, lda, Matmul.pack(b, 2, n, 1, k, n), m);
        Matmul.multiplyScalar(expected, 1, ldc, a, 5, lda, b, 2, n, 1, m, n, k);
        assertClose("packed", m, n, k, expected, 1, ldc, c, 1, ldc);
    }

    @Test
    void aWindowOfWholePanelsMatchesScalarOnThoseColumns() {
        Random random = new Random(7);
        int nr = Matmul.PANEL_WIDTH;
        int n = 3 * nr + 5; // three whole panels and a partial one
        for (int m : new int[] {1, 3, 8, 120}) {
            int k = 77;
            float[] a = randoms(random, m * k);
            float[] b = randoms(random, k * n);
            PackedMatrix packed = Matmul.pack(b, 0, n, 1, k, n);
            for (int[] w : new int[][] {{0, nr}, {nr, 2 * nr}, {2 * nr, n - 2 * nr}, {0, n}}) {
                float[] c = new float[m * w[1]];
                float[] expected = new float[m * w[1]];
                Matmul.multiply(c, 0, w[1], a, 0, k, packed, m, w[0], w[1]);
                Matmul.multiplyScalar(expected, 0, w[1], a, 0, k, b, w[0], n, 1, m, w[1], k);
                assertClose("window [" + w[0] + ", +" + w[1] + ")", m, w[1], k, expected, 0, w[1], c, 0, w[1]);
            }
        }
        if (nr > 1) {
            assertThrows(IllegalArgumentException.class,
                    () -> Matmul.multiply(new float[n], 0, n, new float[77], 0, 77, Matmul.pack(new float[77 * n], 0, n,
                            1, 77, n), 1, 1, nr));
        }
    }

    /** B given as the transpose of a row-major [N, K] array (colStride = K), as in q.k^T. */
    private static void checkUnpackedTransposed(Random random, int m, int n, int k) {
        float[] a = randoms(random, m * k);
        float[] bt = randoms(random, 4 + n * k); // [N, K] at offset 4
        float[] c = new float[m * n];
        float[] expected = new float[m * n];
        Matmul.multiply(c, 0, n, a, 0, k, bt, 4, 1, k, m, n, k);
        Matmul.multiplyScalar(expected, 0, n, a, 0, k, bt, 4, 1, k, m, n, k);
        assertClose("unpacked, B transposed", m, n, k, expected, 0, n, c, 0, n);
    }

    private static float[] randoms(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** |got - want| <= atol(K) + rtol * |want| for all of C[M, N], rows wantLd and gotLd floats apart. */
    private static void assertClose(String what, int m, int n, int k, float[] want, int wantOff, int wantLd,
                                    float[] got, int gotOff, int gotLd) {
        String label = String.format("Matmul %s at %d bits, M=%d N=%d K=%d", what, VectorWidth.bits(), m, n, k);
        dev.jlens.tensor.Close.assertClose(label, new int[] {m, n}, i -> want[wantOff + i / n * wantLd + i % n],
                i -> got[gotOff + i / n * gotLd + i % n], RTOL, atol(k));
    }
}
