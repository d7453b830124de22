// Proves the row-major -> column-major sgemm mapping without a GPU: cuBLAS's documented math, run in Java.
package dev.jlens.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.kernels.cuda.GemmArgs.Operand;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link GemmArgs} through {@link ColumnMajorSgemm} (cuBLAS's column-major math) on row-major buffers, and
 * compares with a plain row-major product. "Addresses" are keys of a map of buffers, so a swapped pointer shows too.
 */
class GemmArgsTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    @Test
    void everyTransposeLdAndBatchCombinationMatchesTheRowMajorProduct() {
        SplittableRandom r = new SplittableRandom(7);
        int cases = 0;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int batch : new int[] {1, 3}) {
                    for (int pad : new int[] {0, 3}) {
                        check(ta, tb, 1 + r.nextInt(6), 1 + r.nextInt(6), 1 + r.nextInt(6), batch, pad, r, false);
                        check(ta, tb, 5, 1, 7, batch, pad, r, true); // one B shared by every batch entry
                        cases += 2;
                    }
                }
            }
        }
        assertEquals(32, cases);
    }

    @Test
    void theUnswappedMappingWouldGiveAnotherAnswer() {
        // Guards the test itself: passing A's memory first, as a naive port would, must not match.
        SplittableRandom r = new SplittableRandom(3);
        int m = 3; // square, so the naive column-major reading (it computes B A) stays in bounds
        int n = 3;
        int k = 3;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] want = rowMajor(a, b, m, n, k, false, false, k, n, n, 0, 0, (long) m * n, 1);
        GemmArgs swapped = GemmArgs.rowMajor(m, n, k, new Operand(A, false, k, 0), new Operand(B, false, n, 0),
                new Operand(C, false, n, 0), 1);
        GemmArgs naive = new GemmArgs(0, 0, m, n, k, A, k, 0, B, n, 0, C, n, 0, 1);
        float[] good = new float[m * n];
        float[] bad = new float[m * n];
        cublas(swapped, Map.of(A, a, B, b, C, good));
        cublas(naive, Map.of(A, a, B, b, C, bad));
        assertEquals(0, maxDiff(want, good), 1e-5);
        assertTrue(maxDiff(want, bad) > 1e-3, "the naive mapping happened to agree; pick other sizes");
    }

    @Test
    void badSizesAndStridesAreRejectedWithTheirValues() {
        Operand a = new Operand(A, false, 4, 0);
        Operand b = new Operand(B, false, 5, 0);
        Operand c = new Operand(C, false, 5, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmArgs.rowMajor(0, 5, 4, a, b, c, 1))
                .getMessage().contains("M=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmArgs.rowMajor(3, 5, 6, a, b, c, 1))
                .getMessage().contains("row stride of A is 4 but its stored rows hold 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GemmArgs.rowMajor(3, 6, 4, a, b,
                new Operand(C, false, 6, 0), 1)).getMessage().contains("row stride of B is 5"));
        assertThrows(IllegalArgumentException.class, () -> GemmArgs.rowMajor(3, 5, 4, a, b,
                new Operand(C, true, 5, 0), 1));
    }

    private static void check(boolean ta, boolean tb, int m, int n, int k, int batch, int pad, SplittableRandom r,
                              boolean sharedB) {
        int lda = (ta ? m : k) + pad;
        int ldb = (tb ? k : n) + pad;
        int ldc = n + pad;
        long sa = (long) (ta ? k : m) * lda;
        long sb = sharedB ? 0 : (long) (tb ? n : k) * ldb;
        long sc = (long) m * ldc;
        float[] a = random(r, (int) (sa * batch));
        float[] b = random(r, (int) Math.max(sb * batch, (long) (tb ? n : k) * ldb));
        float[] c = new float[(int) (sc * batch)];
        GemmArgs g = GemmArgs.rowMajor(m, n, k, new Operand(A, ta, lda, sa), new Operand(B, tb, ldb, sb),
                new Operand(C, false, ldc, sc), batch);
        cublas(g, Map.of(A, a, B, b, C, c));
        float[] want = rowMajor(a, b, m, n, k, ta, tb, lda, ldb, ldc, sa, sb, sc, batch);
        String what = "ta=" + ta + " tb=" + tb + " M=" + m + " N=" + n + " K=" + k + " batch=" + batch + " pad=" + pad;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = (int) (p * sc + i * ldc + j);
                    assertEquals(want[at], c[at], 1e-5, what + " C[" + p + "][" + i + "][" + j + "]");
                }
            }
        }
    }

    /** cuBLAS's math on buffers named by their "address" in {@code memory}. */
    private static void cublas(GemmArgs g, Map<Long, float[]> memory) {
        ColumnMajorSgemm.run(g, new ColumnMajorSgemm.Memory() {
            @Override
            public float get(long address, long index) {
                return memory.get(address)[(int) index];
            }

            @Override
            public void set(long address, long index, float value) {
                memory.get(address)[(int) index] = value;
            }
        });
    }

    /** The row-major product the mapping must reproduce. */
    private static float[] rowMajor(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb, int lda,
                                    int ldb, int ldc, long sa, long sb, long sc, int batch) {
        float[] c = new float[(int) (sc * batch)];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int l = 0; l < k; l++) {
                        float x = ta ? a[(int) (p * sa + (long) l * lda + i)] : a[(int) (p * sa + (long) i * lda + l)];
                        float y = tb ? b[(int) (p * sb + (long) j * ldb + l)] : b[(int) (p * sb + (long) l * ldb + j)];
                        sum += (double) x * y;
                    }
                    c[(int) (p * sc + (long) i * ldc + j)] = (float) sum;
                }
            }
        }
        return c;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static double maxDiff(float[] x, float[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }
}
