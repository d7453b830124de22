// The matmul backward for the left operand against a packed weight: gX[M, K] = gY[M, N] . B^T, B[K, N] packed by
// Matmul.pack, read in place (no transposed copy of the weight). TL: the autograd of x @ W in every Linear.
// In the packed layout row k of panel p is NR contiguous floats, B[k, p NR .. p NR + NR), so gX[r, k] is a sum over
// panels of NR-long dot products with gY[r, p NR ..]. A task owns 4 rows of B^T (k0 .. k0+3), whose panel rows
// (4 x N floats) stay in cache while every block of 4 rows of gY streams past: 16 vector accumulators, reduced
// once per block. Rows of gY that are all zero (the unembedding's gradient off the metric's positions) are skipped.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** gY . B^T for a window of whole panels of a packed B, parallel over blocks of 4 output columns. */
final class MatmulTransposed {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int BLOCK = 4; // rows of gY and of B^T per register block

    private MatmulTransposed() {}

    /**
     * out[M, K] (zeroed, row-major) = g[M, cols] (row-major at gOff) . B[:, col0 .. col0 + cols)^T, where the
     * window starts at a panel boundary (see {@link Matmul#isPanelWindow}).
     */
    static void multiply(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        int[] rows = nonZeroRows(g, gOff, m, cols);
        if (VectorWidth.SCALAR) {
            multiplyScalar(out, g, gOff, rows, b, col0, cols);
            return;
        }
        int k = b.k();
        CpuThreads.parallelFor((k + BLOCK - 1) / BLOCK, t -> columns(out, g, gOff, rows, b, col0, cols, t * BLOCK));
        b.keepAlive();
    }

    /** The rows of g [m, cols] with a non-zero entry (a NaN counts as non-zero), in order. */
    private static int[] nonZeroRows(float[] g, int gOff, int m, int cols) {
        int[] rows = new int[m];
        int n = 0;
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < cols; c++) {
                if (g[gOff + r * cols + c] != 0 || Float.isNaN(g[gOff + r * cols + c])) {
                    rows[n++] = r;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    /** out[r, k0 .. k0 + 4) for every listed row r; fewer than 4 columns at the end of K go the scalar way. */
    private static void columns(float[] out, float[] g, int gOff, int[] rows, PackedMatrix b, int col0, int cols,
            int k0) {
        int k = b.k();
        int nr = b.nr;
        int full = cols / nr * nr; // columns in whole panels; the rest (the last panel's) go the scalar way
        int i = 0;
        for (; k0 + BLOCK <= k && i + BLOCK <= rows.length; i += BLOCK) {
            block4x4(out, g, gOff, rows, i, b, col0, cols, full, k0);
        }
        for (int r = i; r < rows.length; r++) {
            for (int kk = k0; kk < Math.min(k, k0 + BLOCK); kk++) {
                out[rows[r] * k + kk] = dot(g, gOff + rows[r] * cols, b, col0, 0, cols, kk);
            }
        }
        if (k0 + BLOCK > k) {
            for (int r = 0; r < i; r++) {
                for (int kk = k0; kk < k; kk++) {
                    out[rows[r] * k + kk] = dot(g, gOff + rows[r] * cols, b, col0, 0, cols, kk);
                }
            }
        }
    }

    /** out[rows[i..i+3], k0..k0+3]: 4 x 4 dot products over the whole panels, plus the tail columns. */
    private static void block4x4(float[] out, float[] g, int gOff, int[] rows, int i, PackedMatrix b, int col0,
            int cols, int full, int k0) {
        int nr = b.nr;
        int v = SPECIES.length();
        int g0 = gOff + rows[i] * cols;
        int g1 = gOff + rows[i + 1] * cols;
        int g2 = gOff + rows[i + 2] * cols;
        int g3 = gOff + rows[i + 3] * cols;
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < full; c += nr) {
            long base = (long) b.offset((col0 + c) / nr, k0) * Float.BYTES; // rows k0..k0+3 of the panel, NR each
            for (int h = 0; h < nr; h += v) {
                long at = base + (long) h * Float.BYTES;
                FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, b.data, at, ORDER);
                FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, b.data, at + (long) nr * Float.BYTES, ORDER);
                FloatVector b2 = FloatVector.fromMemorySegment(SPECIES, b.data, at + 2L * nr * Float.BYTES, ORDER);
                FloatVector b3 = FloatVector.fromMemorySegment(SPECIES, b.data, at + 3L * nr * Float.BYTES, ORDER);
                FloatVector x = FloatVector.fromArray(SPECIES, g, g0 + c + h);
                a00 = x.fma(b0, a00);
                a01 = x.fma(b1, a01);
                a02 = x.fma(b2, a02);
                a03 = x.fma(b3, a03);
                x = FloatVector.fromArray(SPECIES, g, g1 + c + h);
                a10 = x.fma(b0, a10);
                a11 = x.fma(b1, a11);
                a12 = x.fma(b2, a12);
                a13 = x.fma(b3, a13);
                x = FloatVector.fromArray(SPECIES, g, g2 + c + h);
                a20 = x.fma(b0, a20);
                a21 = x.fma(b1, a21);
                a22 = x.fma(b2, a22);
                a23 = x.fma(b3, a23);
                x = FloatVector.fromArray(SPECIES, g, g3 + c + h);
                a30 = x.fma(b0, a30);
                a31 = x.fma(b1, a31);
                a32 = x.fma(b2, a32);
                a33 = x.fma(b3, a33);
            }
        }
        int k = b.k();
        FloatVector[] acc = {a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33};
        int[] rowStart = {g0, g1, g2, g3};
        for (int j = 0; j < BLOCK; j++) {
            for (int t = 0; t < BLOCK; t++) {
                out[rows[i + j] * k + k0 + t] = acc[j * BLOCK + t].reduceLanes(VectorOperators.ADD)
                        + dot(g, rowStart[j], b, col0, full, cols, k0 + t);
            }
        }
    }

    /** sum over c in [from, to) of g[gRow + c] B[kk, col0 + c]: the scalar path. */
    private static float dot(float[] g, int gRow, PackedMatrix b, int col0, int from, int to, int kk) {
        float acc = 0;
        for (int c = from; c < to; c++) {
            acc += g[gRow + c] * b.data.getAtIndex(FLOAT, b.indexOf(kk, col0 + c));
        }
        return acc;
    }

    /** The scalar twin: gX[r, i] = sum_n gY[r, n] B[i, col0 + n] for the listed rows, one thread. */
    static void multiplyScalar(float[] out, float[] g, int gOff, int[] rows, PackedMatrix b, int col0, int cols) {
        int k = b.k();
        for (int r : rows) {
            for (int i = 0; i < k; i++) {
                out[r * k + i] = dot(g, gOff + r * cols, b, col0, 0, cols, i);
            }
        }
        b.keepAlive();
    }
}
