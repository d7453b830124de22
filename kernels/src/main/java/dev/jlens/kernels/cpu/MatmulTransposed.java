// The matmul backward for the left operand against a packed weight: gX[M, K] = gY[M, N] . B^T, B[K, N] packed by
// Matmul.pack, read in place (no transposed copy of the weight). TL: the autograd of x @ W in every Linear.
// Dot form: gX[m, k] = sum over panels p of B and halves h of the lane-wise products gY[m, p NR + h V ..+V] *
// Bpanel_p[k, h V ..+V], whose V lanes are added once at the end (in Lanes.sum's order, the same in every JIT tier).
// Rows of gY that are all zero (the unembedding's gradient off the metric's positions) are skipped.
package dev.jlens.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * gY . B^T for a window of whole panels of a packed B. A task owns a block of up to {@link #KB} columns k of gX and
 * computes them for blocks of {@link #MB} rows of gY and chunks of {@link #NC} columns of the window: for each 4
 * k's it copies their rows of the chunk's panels into a strip (4 x NC floats, kept in L1) and runs a {@link #tile}
 * over every 4 rows of gY (the chunk of gY, MB x NC floats, stays in L2). A tile keeps 16 vector sums
 * gY[r, ..] * B[k, ..] in registers over the chunk: each vector it loads feeds 4 FMAs (the forward's 6 x 2 tile loads
 * 2 vectors and 6 broadcasts for 12). Between chunks the sums wait, lanes unreduced, in a per-thread scratch; after
 * the last one {@link #reduce} adds the lanes of 16 (V) sums at once. The 16 sums, 4 B vectors and a gY vector fit
 * AVX-512's 32 vector registers (AVX2's 16 would spill). The last rows of a block run in a full tile that repeats
 * its last row (a repeated sum is the same sequence of operations, stored to the same place), the last k's in a
 * tile whose extra sums are never read. Every sum gX[m, k] is one fixed chain of FMAs over the panels in order,
 * then one fixed lane tree, whatever the blocks and the thread count: the same bits on every run.
 */
final class MatmulTransposed {
    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int V = GemmKernel.V;
    private static final int NR = GemmKernel.NR;
    /** Most columns k of gX per task: its sums, MB x KB vectors (512 KiB at 512 bits), are touched once a chunk. */
    static final int KB = 64;
    /** Rows of gY per block: a chunk of them, MB x NC floats (256 KiB), stays in L2. */
    static final int MB = 128;
    /** Columns of gY (and of B) per chunk: a whole number of panels at every width. */
    static final int NC = 512;
    // Constants of reduce's levels h (fields, so that C2 sees constant masks and shuffles; null where h >= V).
    private static final VectorMask<Float> UPPER1 = upper(1); // the lanes i with bit h set: i & h != 0
    private static final VectorMask<Float> UPPER2 = upper(2);
    private static final VectorMask<Float> UPPER4 = upper(4);
    private static final VectorMask<Float> UPPER8 = upper(8);
    private static final VectorShuffle<Float> SWAP1 = swap(1); // lane i takes lane i ^ h
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP8 = swap(8);
    /** Each thread's scratch for the lane sums of its tasks (at most MB x KB x V floats). */
    private static final ThreadLocal<float[]> SUMS = new ThreadLocal<>();

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
            multiplyVector(result, dense, denseOff, rows.length, b, col0, cols);
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

    /**
     * out[M, K] = g[M, cols] . B[:, col0 .. col0 + cols)^T with vectors, parallel over blocks of K. A last partial
     * panel (cols not a multiple of NR) reads its gY columns from a zero-padded copy, tail[M, NR].
     */
    private static void multiplyVector(float[] out, float[] g, int gOff, int m, PackedMatrix b, int col0, int cols) {
        int k = b.k();
        int full = cols / NR;
        float[] tail = null; // [M, NR]: gY's columns of the partial panel, then zeros
        if (full * NR < cols) {
            tail = new float[m * NR];
            for (int r = 0; r < m; r++) {
                System.arraycopy(g, gOff + r * cols + full * NR, tail, r * NR, cols - full * NR);
            }
        }
        long fmas = (long) m * cols * k;
        int perThread = (k + 4 * CpuThreads.COUNT - 1) / (4 * CpuThreads.COUNT); // 4 tasks a thread, when KB allows
        int kb = Math.clamp((perThread + 3) / 4 * 4L, 4, KB);
        float[] gTail = tail;
        CpuThreads.parallelFor((k + kb - 1) / kb, fmas,
                t -> columns(out, g, gOff, cols, gTail, m, b, col0 / NR, full, t * kb, Math.min(kb, k - t * kb)));
        b.keepAlive();
    }

    /**
     * out[:, k0 .. k0 + width) over panels p0 .. p0 + full of B (gY's columns 0 .. full NR, row stride cols) and, when
     * tail is not null, panel p0 + full (gY's columns in tail). The task of {@link #multiplyVector}.
     */
    private static void columns(float[] out, float[] g, int gOff, int cols, float[] tail, int m, PackedMatrix b,
                                int p0, int full, int k0, int width) {
        int k = b.k();
        int padded = (width + V - 1) / V * V; // sums' k's: whole groups of V for reduce
        float[] sums = sums(Math.min(MB, m) * padded * V); // [MB, padded, V]: lane sums between chunks
        float[] strip = new float[NC * 4]; // [NC / NR panels, 4 rows k, NR]: B's rows of one tile in a chunk
        float[] last = new float[V]; // the reduced sums of a group past width
        for (int i0 = 0; i0 < m; i0 += MB) {
            int rows = Math.min(MB, m - i0);
            for (int c = 0; c < full; c += NC / NR) {
                chunk(sums, padded, width, strip, g, gOff + i0 * cols + c * NR, cols, rows, b, p0 + c,
                        Math.min(NC / NR, full - c), k0, c > 0);
            }
            if (tail != null) {
                chunk(sums, padded, width, strip, tail, i0 * NR, NR, rows, b, p0 + full, 1, k0, full > 0);
            }
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < width; t += V) {
                    int at = (i0 + r) * k + k0 + t;
                    if (t + V <= width) {
                        reduce(sums, (r * padded + t) * V, out, at);
                    } else {
                        reduce(sums, (r * padded + t) * V, last, 0);
                        System.arraycopy(last, 0, out, at, width - t);
                    }
                }
            }
        }
    }

    /**
     * out[o + j] = the sum of the V lanes of sums[s + j V ..] for j &lt; V, each in {@link Lanes#sum}'s order (lane i
     * plus lane i + V/2, then halves again), V sums at once. A vector a whose lanes hold partial sums of outputs in
     * groups of 2h lanes, and a vector b alike, become a.blend(b, upper) + b.blend(a, upper) swapped by h (upper: the
     * lanes with bit h set): its groups of h lanes hold a's outputs (the lower h of each 2h) and b's (the upper h).
     * log2(V) levels of such steps, V - 1 in all, in place in sums (overwritten); pairing vector c with c + h puts
     * output j at lane j.
     */
    static void reduce(float[] sums, int s, float[] out, int o) {
        if (V >= 16) {
            level(sums, s, 8, UPPER8, SWAP8);
        }
        if (V >= 8) {
            level(sums, s, 4, UPPER4, SWAP4);
        }
        level(sums, s, 2, UPPER2, SWAP2);
        level(sums, s, 1, UPPER1, SWAP1);
        FloatVector.fromArray(S, sums, s).intoArray(out, o);
    }

    /** One level of {@link #reduce}: vectors c and c + h, c &lt; h, into vector c. */
    private static void level(float[] sums, int s, int h, VectorMask<Float> upper, VectorShuffle<Float> swap) {
        for (int c = 0; c < h; c++) {
            FloatVector a = FloatVector.fromArray(S, sums, s + c * V);
            FloatVector b = FloatVector.fromArray(S, sums, s + (c + h) * V);
            a.blend(b, upper).add(b.blend(a, upper).rearrange(swap)).intoArray(sums, s + c * V);
        }
    }

    /** The lanes i with bit h set (i &amp; h != 0); null when h &gt;= V. */
    private static VectorMask<Float> upper(int h) {
        if (h >= V) {
            return null;
        }
        boolean[] set = new boolean[V];
        for (int i = 0; i < V; i++) {
            set[i] = (i & h) != 0;
        }
        return VectorMask.fromValues(S, set);
    }

    /** Lane i takes lane i ^ h; null when h &gt;= V. */
    private static VectorShuffle<Float> swap(int h) {
        return h < V ? VectorShuffle.fromOp(S, i -> i ^ h) : null;
    }

    /**
     * sums[r, t] (+)= gY[r, chunk] * B[k0 + t, chunk] lane-wise (sums [rows, padded, V]), for rows r &lt; rows of gY
     * (at g[gOff + r*ldg]) and t &lt; width, over panels p .. p + panels of B: for each 4 k's, their rows of the
     * chunk's panels are copied to strip (kept in L1: in place, K NR floats apart, the panels' rows fall in the same
     * few cache sets), then 4 x 4 tiles run over every 4 rows of gY.
     */
    private static void chunk(float[] sums, int padded, int width, float[] strip, float[] g, int gOff, int ldg,
                              int rows, PackedMatrix b, int p, int panels, int k0, boolean accumulate) {
        for (int t = 0; t < width; t += 4) {
            int ks = Math.min(4, width - t);
            for (int q = 0; q < panels; q++) {
                for (int j = 0; j < 4; j++) { // rows past width repeat the last: their sums are never read
                    long from = (long) b.offset(p + q, k0 + t + Math.min(j, ks - 1)) * Float.BYTES;
                    for (int h = 0; h < NR; h += V) {
                        FloatVector.fromMemorySegment(S, b.data, from + (long) h * Float.BYTES, ORDER)
                                .intoArray(strip, (q * 4 + j) * NR + h);
                    }
                }
            }
            for (int r = 0; r < rows; r += 4) {
                tile(sums, (r * padded + t) * V, padded, g, gOff + r * ldg, ldg, Math.min(4, rows - r), strip,
                        panels, accumulate);
            }
        }
        b.keepAlive();
    }

    /**
     * sums[i, j] (+)= sum over panels q &lt; panels of gY[i, q NR .. q NR + NR) * strip[q, j, 0 .. NR), lane-wise in V
     * lanes, for 4 rows i of gY (at g[gOff + min(i, rows-1) ldg], panel q's columns at +q NR) and the 4 rows j of
     * B in strip; the sum [i, j] at sums[sOff + (i ld + j) V]. Rows past rows repeat the last one.
     */
    static void tile(float[] sums, int sOff, int ld, float[] g, int gOff, int ldg, int rows, float[] strip,
                     int panels, boolean accumulate) {
        int g0 = gOff; // offsets of gY's rows i
        int g1 = gOff + Math.min(1, rows - 1) * ldg;
        int g2 = gOff + Math.min(2, rows - 1) * ldg;
        int g3 = gOff + Math.min(3, rows - 1) * ldg;
        int r0 = sOff; // offsets of sums[i, 0]
        int r1 = sOff + Math.min(1, rows - 1) * ld * V;
        int r2 = sOff + Math.min(2, rows - 1) * ld * V;
        int r3 = sOff + Math.min(3, rows - 1) * ld * V;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, sums, r0) : z;
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, sums, r0 + V) : z;
        FloatVector s02 = accumulate ? FloatVector.fromArray(S, sums, r0 + 2 * V) : z;
        FloatVector s03 = accumulate ? FloatVector.fromArray(S, sums, r0 + 3 * V) : z;
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, sums, r1) : z;
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, sums, r1 + V) : z;
        FloatVector s12 = accumulate ? FloatVector.fromArray(S, sums, r1 + 2 * V) : z;
        FloatVector s13 = accumulate ? FloatVector.fromArray(S, sums, r1 + 3 * V) : z;
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, sums, r2) : z;
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, sums, r2 + V) : z;
        FloatVector s22 = accumulate ? FloatVector.fromArray(S, sums, r2 + 2 * V) : z;
        FloatVector s23 = accumulate ? FloatVector.fromArray(S, sums, r2 + 3 * V) : z;
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, sums, r3) : z;
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, sums, r3 + V) : z;
        FloatVector s32 = accumulate ? FloatVector.fromArray(S, sums, r3 + 2 * V) : z;
        FloatVector s33 = accumulate ? FloatVector.fromArray(S, sums, r3 + 3 * V) : z;
        for (int q = 0; q < panels; q++) {
            for (int h = 0; h < NR; h += V) {
                int c = q * NR + h;
                int y = q * 4 * NR + h;
                FloatVector y0 = FloatVector.fromArray(S, strip, y);
                FloatVector y1 = FloatVector.fromArray(S, strip, y + NR);
                FloatVector y2 = FloatVector.fromArray(S, strip, y + 2 * NR);
                FloatVector y3 = FloatVector.fromArray(S, strip, y + 3 * NR);
                FloatVector x = FloatVector.fromArray(S, g, g0 + c);
                s00 = x.fma(y0, s00);
                s01 = x.fma(y1, s01);
                s02 = x.fma(y2, s02);
                s03 = x.fma(y3, s03);
                x = FloatVector.fromArray(S, g, g1 + c);
                s10 = x.fma(y0, s10);
                s11 = x.fma(y1, s11);
                s12 = x.fma(y2, s12);
                s13 = x.fma(y3, s13);
                x = FloatVector.fromArray(S, g, g2 + c);
                s20 = x.fma(y0, s20);
                s21 = x.fma(y1, s21);
                s22 = x.fma(y2, s22);
                s23 = x.fma(y3, s23);
                x = FloatVector.fromArray(S, g, g3 + c);
                s30 = x.fma(y0, s30);
                s31 = x.fma(y1, s31);
                s32 = x.fma(y2, s32);
                s33 = x.fma(y3, s33);
            }
        }
        s00.intoArray(sums, r0);
        s01.intoArray(sums, r0 + V);
        s02.intoArray(sums, r0 + 2 * V);
        s03.intoArray(sums, r0 + 3 * V);
        s10.intoArray(sums, r1);
        s11.intoArray(sums, r1 + V);
        s12.intoArray(sums, r1 + 2 * V);
        s13.intoArray(sums, r1 + 3 * V);
        s20.intoArray(sums, r2);
        s21.intoArray(sums, r2 + V);
        s22.intoArray(sums, r2 + 2 * V);
        s23.intoArray(sums, r2 + 3 * V);
        s30.intoArray(sums, r3);
        s31.intoArray(sums, r3 + V);
        s32.intoArray(sums, r3 + 2 * V);
        s33.intoArray(sums, r3 + 3 * V);
    }

    /** This thread's scratch of at least n floats (any contents), kept for its next call. */
    private static float[] sums(int n) {
        float[] sums = SUMS.get();
        if (sums == null || sums.length < n) {
            sums = new float[n];
            SUMS.set(sums);
        }
        return sums;
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
