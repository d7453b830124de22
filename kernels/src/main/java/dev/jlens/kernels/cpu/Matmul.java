// SGEMM: C[M,N] = A[M,K] . B[K,N] in fp32; mirrors llm.c matmul_forward (out = inp . weight^T, without bias).
package dev.jlens.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU matrix product, the hot path of every forward pass: {@code C[i,j] = sum_k A[i,k] * B[k,j]} with
 * A[M,K] and C[M,N] row-major (row strides lda, ldc; C is an output and is overwritten) and B[K,N] read
 * through any two strides, so that a transposed view (W^T, K^T) needs no copy.
 *
 * <p>B is packed once into column panels ({@link PackedMatrix}); weights are packed at load. The product
 * then runs Goto-style loops: N panels are split across {@link CpuThreads}, K is cut into blocks of
 * {@link #KC} rows so a panel slice stays in L1 while every row tile of A passes over it, and M into blocks
 * of {@link #MC} rows so the A block stays in L2. Each tile is a {@link GemmKernel} register tile. For a
 * few rows (decode, patching: M &lt;= {@link #SMALL_M}) the product is bound by streaming B, which each
 * thread reads once; for one row, from four places of its task at once ({@link GemmKernel#gemv4}), for eight
 * rows from two ({@link GemmKernel#tile8x2}, on AVX-512).
 * {@code -Djlens.vectorBits=0} runs {@link #multiplyScalar}.
 */
public final class Matmul {
    /** K rows per block: a 2-vector panel slice of KC rows (16 KiB at 256 bits) stays in L1. */
    static final int KC = 256;
    /** M rows per block: an A block of MC x KC floats (240 KiB) stays in L2. */
    static final int MC = 240;
    /**
     * Most panels per task: C[M, NC*NR] (120 x 256 floats, 120 KiB) stays in L2 across the K blocks. Tasks
     * are smaller when that gives each thread fewer than 8 of them, so that the threads finish together.
     * Tasks are handed out from both ends of N alternately, so two threads usually share a cache line of C
     * (chunks are not line-aligned) at one chunk boundary instead of at every one.
     */
    static final int NC = 16;
    /** Up to this many rows, K is not blocked, so each panel of B is streamed once, front to back. */
    static final int SMALL_M = 8;
    /** Columns per packed panel: two vectors, or 1 (B transposed) for the scalar twins. */
    static final int PANEL_WIDTH = VectorWidth.SCALAR ? 1 : GemmKernel.NR;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private Matmul() {}

    /**
     * Packs B[K,N] read as {@code b[off + k*rowStride + n*colStride]} (so a transposed view packs without a
     * copy) into panels for {@link #multiply(float[], int, int, float[], int, int, PackedMatrix, int)}; the panels
     * live off the heap until the result becomes unreachable.
     */
    public static PackedMatrix pack(float[] b, int off, int rowStride, int colStride, int k, int n) {
        checkStrided("B", b, off, rowStride, colStride, k, n);
        return pack(MemorySegment.ofArray(b), off, rowStride, colStride, k, n);
    }

    /**
     * Packs B[K,N] whose element [k, n] is the float at index {@code off + k*rowStride + n*colStride} of
     * {@code src} (native byte order: a heap array's segment, an off-heap buffer or a little-endian file mapping on
     * a little-endian machine) into panels off the heap, freed when the result becomes unreachable.
     */
    public static PackedMatrix pack(MemorySegment src, long off, long rowStride, long colStride, int k, int n) {
        return pack(k, List.of(new Packing.Columns(src, off, rowStride, colStride, n)));
    }

    /** Packs B[K,N], the columns of {@code blocks} side by side, each read in place (see {@link Packing}). */
    static PackedMatrix pack(int k, List<Packing.Columns> blocks) {
        PackedMatrix packed = new PackedMatrix(PANEL_WIDTH, k, blocks.stream().mapToInt(Packing.Columns::n).sum());
        Packing.packInto(packed, blocks);
        return packed;
    }

    /** Packs B into {@code panels} (at least the packed size, any contents) instead of a new allocation. */
    static PackedMatrix packInto(MemorySegment panels, Object owner, float[] b, int off, int rowStride, int colStride,
                                 int k, int n) {
        PackedMatrix packed = new PackedMatrix(panels, owner, PANEL_WIDTH, k, n);
        Packing.packInto(packed, List.of(new Packing.Columns(MemorySegment.ofArray(b), off, rowStride, colStride, n)));
        return packed;
    }

    /** Floats a packed B[K,N] takes: N rounded up to whole panels, times K. */
    static long packedFloats(int k, int n) {
        return Math.multiplyExact((long) (n + PANEL_WIDTH - 1) / PANEL_WIDTH * PANEL_WIDTH, k);
    }

    /** C[M,N] = A[M,K] . B, A row-major with row stride lda, C row-major with row stride ldc; overwrites C. */
    public static void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b, int m) {
        multiply(c, cOff, ldc, a, aOff, lda, b, m, 0, b.n());
    }

    /**
     * C[M, cols] = A[M,K] . B[:, col0 .. col0 + cols): a window of B's columns that starts at a panel boundary
     * ({@code col0} a multiple of the panel width) and ends at one or at N, e.g. the q, k or v third of a packed
     * [d_model, 3 d_model] matrix. C is row-major with row stride ldc and is overwritten.
     */
    public static void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b, int m,
                                int col0, int cols) {
        int k = b.k();
        int nr = PANEL_WIDTH;
        if (b.nr != nr) {
            throw new IllegalArgumentException("Matmul: " + b + " was packed for another vector width than "
                    + VectorWidth.bits() + " bits (panel width " + nr + ")");
        }
        if (!isPanelWindow(b, col0, cols)) {
            throw new IllegalArgumentException("Matmul: columns [" + col0 + ", " + (col0 + cols) + ") of " + b
                    + " do not start at a panel boundary and end at one or at N");
        }
        checkRowMajor("A", a, aOff, lda, m, k);
        checkRowMajor("C", c, cOff, ldc, m, cols);
        if (m == 0 || cols == 0) {
            return;
        }
        if (VectorWidth.SCALAR) {
            multiplyScalar(c, cOff, ldc, a, aOff, lda, b, m, col0, cols);
            b.keepAlive();
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + cols, 0f);
            }
            return;
        }
        int p0 = col0 / nr;
        int panels = (cols + nr - 1) / nr;
        int base = cOff - col0; // C's column of panel p is p * nr - col0
        long fmas = (long) m * cols * k;
        int chunk = fmas >= CpuThreads.PARALLEL_MIN_WORK
                ? Math.clamp((panels + 8L * CpuThreads.COUNT - 1) / (8L * CpuThreads.COUNT), 1, NC) : NC;
        int tasks = (panels + chunk - 1) / chunk;
        CpuThreads.parallelFor(tasks, fmas, t -> {
            int q = t % 2 == 0 ? t / 2 : tasks - 1 - t / 2; // alternate ends: threads meet once, not at every chunk
            multiplyPanels(c, base, ldc, a, aOff, lda, b, m, p0 + q * chunk, p0 + Math.min(panels, q * chunk + chunk));
        });
        b.keepAlive();
    }

    /** True when columns [col0, col0 + cols) of b start at a panel boundary and end at one or at N. */
    static boolean isPanelWindow(PackedMatrix b, int col0, int cols) {
        return col0 >= 0 && cols >= 0 && col0 + cols <= b.n() && col0 % b.nr == 0
                && (cols % b.nr == 0 || col0 + cols == b.n());
    }

    /** Same with an unpacked B (packs internally; used for activations such as attention q.k^T per head). */
    public static void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                                float[] b, int bOff, int rowStrideB, int colStrideB, int m, int n, int k) {
        if (VectorWidth.SCALAR) {
            multiplyScalar(c, cOff, ldc, a, aOff, lda, b, bOff, rowStrideB, colStrideB, m, n, k);
            return;
        }
        checkRowMajor("A", a, aOff, lda, m, k);
        checkRowMajor("C", c, cOff, ldc, m, n);
        checkStrided("B", b, bOff, rowStrideB, colStrideB, k, n);
        multiply(c, cOff, ldc, a, aOff, lda, ScratchPanels.pack(b, bOff, rowStrideB, colStrideB, k, n), m);
    }

    /** Columns panels [p0, p1) of C for all M rows: the per-thread task. */
    private static void multiplyPanels(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                                       PackedMatrix b, int m, int p0, int p1) {
        int nr = b.nr;
        int k = b.k();
        int full = Math.min(p1, b.n() / nr);
        int kc = m <= SMALL_M ? k : KC;
        int first = m == 1 ? gemvPanels(c, cOff, a, aOff, b, p0, full)
                : m == 8 && GemmKernel.TILE8 ? pairPanels(c, cOff, ldc, a, aOff, lda, b, p0, full) : p0;
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            for (int k0 = 0; k0 < k; k0 += kc) {
                int kLen = Math.min(kc, k - k0);
                for (int p = first; p < full; p++) {
                    GemmKernel.tiles(c, cOff + i0 * ldc + p * nr, ldc, a, aOff + i0 * lda + k0, lda,
                            b.data, b.offset(p, k0), kLen, rows, k0 > 0);
                }
            }
        }
        if (full < p1) {
            tailPanel(c, cOff, ldc, a, aOff, lda, b, m, full);
        }
    }

    /**
     * One row: panels [p0, p0 + 4q) of C = A . B, q = (full - p0) / 4, as {@link GemmKernel#gemv4} tiles of the
     * panels j, j+q, j+2q, j+3q (q panels apart: 192 KiB at K = 768 and 16 panels a task). Returns p0 + 4q,
     * the first panel left to the other tiles.
     */
    private static int gemvPanels(float[] c, int cOff, float[] a, int aOff, PackedMatrix b, int p0, int full) {
        int nr = b.nr;
        int q = (full - p0) / 4;
        for (int j = p0; j < p0 + q; j++) {
            GemmKernel.gemv4(c, cOff + j * nr, q * nr, a, aOff, b.data, b.offset(j, 0), b.offset(q, 0), b.k());
        }
        return p0 + 4 * q;
    }

    /**
     * Eight rows: panels [p0, p0 + 2q) of C = A . B, q = (full - p0) / 2, as {@link GemmKernel#tile8x2} tiles of
     * the panels j and j+q, one half of their columns at a time. Each core then streams B from two places at once
     * (a decode step at batch 8 reads its weights from memory; one stream per core ran at about half the 1-row
     * product's bandwidth). The same sums in the same order as {@link GemmKernel#tile8}: the same bits. Returns
     * p0 + 2q, the first panel left to the other tiles.
     */
    private static int pairPanels(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b, int p0,
                                  int full) {
        int nr = b.nr;
        int q = (full - p0) / 2;
        for (int j = p0; j < p0 + q; j++) {
            for (int h = 0; h < 2; h++) {
                GemmKernel.tile8x2(c, cOff + j * nr, ldc, q * nr, a, aOff, lda, b.data, b.offset(j, 0), b.offset(q, 0),
                        b.k(), h);
            }
        }
        return p0 + 2 * q;
    }

    /** The last panel when NR does not divide N: tiles go to a scratch C[MR, NR], then its N % NR columns to C. */
    private static void tailPanel(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                                  PackedMatrix b, int m, int p) {
        int nr = b.nr;
        int cols = b.n() - p * nr;
        float[] scratch = new float[GemmKernel.MR * nr]; // [MR, NR]
        for (int i0 = 0; i0 < m; i0 += GemmKernel.MR) {
            int rows = Math.min(GemmKernel.MR, m - i0);
            GemmKernel.tiles(scratch, 0, nr, a, aOff + i0 * lda, lda, b.data, b.offset(p, 0), b.k(), rows, false);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(scratch, r * nr, c, cOff + (i0 + r) * ldc + p * nr, cols);
            }
        }
    }

    /** The scalar twin on a matrix packed with panel width 1 (B transposed): C[M, cols] = A . B[:, col0..]. */
    private static void multiplyScalar(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, PackedMatrix b,
                                       int m, int col0, int cols) {
        int k = b.k();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int kk = 0; kk < k; kk++) {
                    sum += (double) a[aOff + i * lda + kk] * b.data.getAtIndex(FLOAT, (long) (col0 + j) * k + kk);
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }

    /** The scalar twin: plain loops with a double accumulator; the reference in tests. Arguments as above. */
    public static void multiplyScalar(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                                      float[] b, int bOff, int rowStrideB, int colStrideB, int m, int n, int k) {
        checkRowMajor("A", a, aOff, lda, m, k);
        checkRowMajor("C", c, cOff, ldc, m, n);
        checkStrided("B", b, bOff, rowStrideB, colStrideB, k, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int kk = 0; kk < k; kk++) {
                    sum += (double) a[aOff + i * lda + kk] * b[bOff + kk * rowStrideB + j * colStrideB];
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }

    /** Checks that X[rows, cols] at x[off + r*ld + j] fits in x with ld >= cols. */
    private static void checkRowMajor(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matmul: " + name + " has negative shape [" + rows + ", " + cols + "]");
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException("Matmul: " + name + "[" + rows + ", " + cols + "] row stride " + ld
                    + " is less than its width " + cols);
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > x.length) {
            throw new IllegalArgumentException("Matmul: " + name + "[" + rows + ", " + cols + "] at offset " + off
                    + " with row stride " + ld + " needs " + end + " floats, array has " + x.length);
        }
    }

    /** Checks that every element of X[rows, cols] at x[off + r*rowStride + j*colStride] is inside x. */
    private static void checkStrided(String name, float[] x, int off, int rowStride, int colStride,
                                     int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matmul: " + name + " has negative shape [" + rows + ", " + cols + "]");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long lastRow = (long) (rows - 1) * rowStride;
        long lastCol = (long) (cols - 1) * colStride;
        long lo = off + Math.min(0, lastRow) + Math.min(0, lastCol);
        long hi = off + Math.max(0, lastRow) + Math.max(0, lastCol);
        if (lo < 0 || hi >= x.length) {
            throw new IllegalArgumentException("Matmul: " + name + "[" + rows + ", " + cols + "] at offset " + off
                    + " with strides (" + rowStride + ", " + colStride + ") reads [" + lo + ", " + hi
                    + "], array has " + x.length);
        }
    }
}
