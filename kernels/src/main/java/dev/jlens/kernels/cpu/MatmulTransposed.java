// The matmul backward for the left operand against a packed weight: gX[M, K] = gY[M, N] . B^T, B[K, N] packed by
// Matmul.pack, read in place (no transposed copy of the weight). TL: the autograd of x @ W in every Linear.
// B^T's columns k0 .. k0+NR, over the NR columns of one panel of B, are rows k0 .. k0+NR of that panel: NR x NR
// floats back to back. A task owns NR columns of gX; for each panel it transposes that square into a scratch panel
// (so B is read once, page by page) and runs Matmul's register tiles on it: gX[:, k0..] += gY[:, panel] . square^T.
// Rows of gY that are all zero (the unembedding's gradient off the metric's positions) are skipped.
package dev.jlens.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** gY . B^T for a window of whole panels of a packed B, parallel over blocks of NR output columns. */
final class MatmulTransposed {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private MatmulTransposed() {}

    /**
     * out[M, K] (zeroed, row-major) = g[M, cols] (row-major at gOff) . B[:, col0 .. col0 + cols)^T, where the
     * window starts at a panel boundary (see {@link Matmul#isPanelWindow}).
     */
    static void multiply(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        int[] rows = nonZeroRows(g, gOff, m, cols);
        if (rows.length == 0) {
            return;
        }
        float[] dense = g; // [rows, cols]: the non-zero rows, packed together when some are zero
        int denseOff = gOff;
        if (rows.length < m) {
            dense = new float[rows.length * cols];
            denseOff = 0;
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(g, gOff + rows[i] * cols, dense, i * cols, cols);
            }
        }
        int k = b.k();
        float[] result = rows.length < m ? new float[rows.length * k] : out; // [rows, K]
        if (VectorWidth.SCALAR) {
            multiplyScalar(result, dense, denseOff, rows.length, b, col0, cols);
        } else {
            float[] gd = dense;
            int gdOff = denseOff;
            CpuThreads.parallelFor((k + b.nr - 1) / b.nr,
                    t -> columns(result, gd, gdOff, rows.length, b, col0, cols, t * b.nr));
            b.keepAlive();
        }
        if (result != out) {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(result, i * k, out, rows[i] * k, k);
            }
        }
    }

    /** The rows of g [m, cols] with a non-zero entry (a NaN counts as non-zero), in order. */
    private static int[] nonZeroRows(float[] g, int gOff, int m, int cols) {
        int[] rows = new int[m];
        int n = 0;
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < cols; c++) {
                float v = g[gOff + r * cols + c];
                if (v != 0 || Float.isNaN(v)) {
                    rows[n++] = r;
                    break;
                }
            }
        }
        return Arrays.copyOf(rows, n);
    }

    /** out[:, k0 .. k0 + NR) (fewer at the end of K, through a scratch) over every panel of the window. */
    private static void columns(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols,
            int k0) {
        int nr = b.nr;
        int k = b.k();
        int width = Math.min(nr, k - k0);
        float[] square = new float[nr * nr]; // [NR rows j of the panel, NR columns t]: B[k0 + t, p NR + j]
        MemorySegment panel = MemorySegment.ofArray(square);
        float[] c = width == nr ? out : new float[m * nr]; // [M, NR] scratch for the last, narrower block
        int cOff = width == nr ? k0 : 0;
        int ldc = width == nr ? k : nr;
        for (int c0 = 0; c0 < cols; c0 += nr) {
            int p = (col0 + c0) / nr;
            int pc = Math.min(nr, cols - c0);
            long base = b.offset(p, k0);
            for (int t = 0; t < width; t++) {
                for (int j = 0; j < pc; j++) {
                    square[j * nr + t] = b.data.getAtIndex(FLOAT, base + (long) t * nr + j);
                }
            }
            GemmKernel.tiles(c, cOff, ldc, g, gOff + c0, cols, panel, 0, pc, m, c0 > 0);
        }
        if (c != out) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(c, r * nr, out, r * k + k0, width);
            }
        }
    }

    /** The scalar twin: gX[r, i] = sum_n gY[r, n] B[i, col0 + n], one thread. */
    static void multiplyScalar(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        int k = b.k();
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < k; i++) {
                float acc = 0;
                for (int c = 0; c < cols; c++) {
                    acc += g[gOff + r * cols + c] * b.data.getAtIndex(FLOAT, b.indexOf(i, col0 + c));
                }
                out[r * k + i] = acc;
            }
        }
        b.keepAlive();
    }
}
