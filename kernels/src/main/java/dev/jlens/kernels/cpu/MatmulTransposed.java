// The matmul backward for the left operand against a packed weight: gX[M, K] = gY[M, N] . B^T, B[K, N] packed by
// Matmul.pack, read in place (no transposed copy of the weight). TL: the autograd of x @ W in every Linear.
// Per task a tile of L rows of B (L = vector lanes) is transposed one panel at a time into a [NR, L] scratch, and
// every row of gY multiplies it: gX[r, k0..k0+L) += sum_j gY[r, p NR + j] * B[k0..k0+L, p NR + j].
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** gY . B^T for a window of whole panels of a packed B, parallel over tiles of L output columns. */
final class MatmulTransposed {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private MatmulTransposed() {}

    /**
     * out[M, K] (zeroed, row-major) = g[M, cols] (row-major at gOff) . B[:, col0 .. col0 + cols)^T, where the
     * window starts at a panel boundary (see {@link Matmul#isPanelWindow}).
     */
    static void multiply(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        if (VectorWidth.SCALAR) {
            multiplyScalar(out, g, gOff, m, b, col0, cols);
            return;
        }
        int lanes = SPECIES.length();
        int k = b.k();
        int tiles = (k + lanes - 1) / lanes;
        CpuThreads.parallelFor(tiles, t -> tile(out, g, gOff, m, b, col0, cols, t * lanes));
        b.keepAlive();
    }

    /** Columns k0 .. k0 + L of out (fewer at the end of K) over every panel of the window. */
    private static void tile(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols, int k0) {
        int lanes = SPECIES.length();
        int k = b.k();
        int nr = b.nr;
        int kLen = Math.min(lanes, k - k0);
        float[] tr = new float[nr * lanes]; // [NR, L]: tr[j, t] = B[k0 + t, p NR + j]
        float[] row = new float[lanes];     // [L] one row's partial tile when kLen < L
        for (int c0 = 0; c0 < cols; c0 += nr) {
            int p = (col0 + c0) / nr;
            int pc = Math.min(nr, cols - c0);
            for (int t = 0; t < kLen; t++) {
                long base = b.offset(p, k0 + t);
                for (int j = 0; j < pc; j++) {
                    tr[j * lanes + t] = b.data.getAtIndex(FLOAT, base + j);
                }
            }
            for (int r = 0; r < m; r++) {
                int gRow = gOff + r * cols + c0;
                FloatVector acc = kLen == lanes ? FloatVector.fromArray(SPECIES, out, r * k + k0)
                        : FloatVector.zero(SPECIES);
                for (int j = 0; j < pc; j++) {
                    acc = FloatVector.fromArray(SPECIES, tr, j * lanes).fma(FloatVector.broadcast(SPECIES, g[gRow + j]),
                            acc);
                }
                if (kLen == lanes) {
                    acc.intoArray(out, r * k + k0);
                } else {
                    acc.intoArray(row, 0);
                    for (int t = 0; t < kLen; t++) {
                        out[r * k + k0 + t] += row[t];
                    }
                }
            }
        }
    }

    /** The scalar twin: gX[r, i] = sum_n gY[r, n] B[i, col0 + n], one thread. */
    static void multiplyScalar(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        int k = b.k();
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < k; i++) {
                float acc = 0;
                for (int n = 0; n < cols; n++) {
                    acc += g[gOff + r * cols + n] * b.data.getAtIndex(FLOAT, b.indexOf(i, col0 + n));
                }
                out[r * k + i] = acc;
            }
        }
        b.keepAlive();
    }
}
