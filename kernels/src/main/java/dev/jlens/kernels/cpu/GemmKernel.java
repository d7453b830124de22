// Matmul's register tiles: C[r, 0..NR) (+)= A[r, k0..k0+kLen) . Bpanel[k0..k0+kLen, 0..NR), NR = 2 vectors.
package dev.jlens.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels behind {@link Matmul}. Each computes one tile of C from a row-major slice of A (rows at
 * {@code a[aOff + r*lda]}) and a slice of one packed panel of B (kLen rows of NR floats back to back in
 * {@code b} from float index {@code bOff}), keeping the tile in registers. {@link #tile6} is the main tile: 6 rows
 * x 2 vectors, 12 FMA chains, which with 2 B vectors and a broadcast fit AVX2's 16 registers without spilling
 * (4 x 3 spills and runs at half speed). C2 moves an iteration's loads to its top where it can, so what must fit is the
 * accumulators, the B vectors and every broadcast it hoists: here each row needs its own address arithmetic
 * and C2 keeps two broadcasts live; with A packed k-major (one index for all rows) it hoisted all of them and
 * spilled accumulators of 5- and 6-row tiles in some compilations (2-2.7x slower, depending on GC and compile
 * order), and the spill-proof 4-row packed tile was slower for its 8 FMA chains. scripts/disasm-c2.sh shows
 * the loop C2 made. The 4-, 2- and 1-row tiles take the last M % 6 rows; the 2- and 1-row tiles run
 * the two halves of K side by side, so that 8 and 4 FMA chains hide the FMA latency. With
 * {@code accumulate} a tile adds to C (the later K blocks); without, it overwrites C.
 */
final class GemmKernel {
    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    /** Floats per vector. */
    static final int V = VectorWidth.SCALAR ? 1 : S.length();
    /** Panel width: columns of C per tile. */
    static final int NR = 2 * V;
    /** Rows of C per main tile. */
    static final int MR = 6;
    /** Whether the last 8 rows take one {@link #tile8}: 16 accumulators, 2 B vectors and a broadcast need 19 of
     * AVX-512's 32 registers (512-bit vectors imply them); AVX2's 16 would spill. */
    static final boolean TILE8 = V == 16;

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private GemmKernel() {}

    /** The vector of B at float index {@code i} of the packed panels (native-order floats, as packed). */
    private static FloatVector load(MemorySegment b, int i) {
        return FloatVector.fromMemorySegment(S, b, (long) i * Float.BYTES, ORDER);
    }

    /** C[rows, NR] (+)= A[rows, kLen] . B[kLen, NR] for any rows: 6-row tiles (the last 8 as one 8-row tile on
     * AVX-512), then 4, 2 and 1. */
    static void tiles(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                      MemorySegment b, int bOff, int kLen, int rows, boolean accumulate) {
        int i = 0;
        for (; i + MR <= rows && !(TILE8 && rows - i == 8); i += MR) {
            tile6(c, cOff + i * ldc, ldc, a, aOff + i * lda, lda, b, bOff, kLen, accumulate);
        }
        if (TILE8 && rows - i == 8) {
            tile8(c, cOff + i * ldc, ldc, a, aOff + i * lda, lda, b, bOff, kLen, accumulate);
            return;
        }
        if (rows - i >= 4) {
            tile4(c, cOff + i * ldc, ldc, a, aOff + i * lda, lda, b, bOff, kLen, accumulate);
            i += 4;
        }
        if (rows - i >= 2) {
            tile2(c, cOff + i * ldc, ldc, a, aOff + i * lda, lda, b, bOff, kLen, accumulate);
            i += 2;
        }
        if (i < rows) {
            tile1(c, cOff + i * ldc, a, aOff + i * lda, b, bOff, kLen, accumulate);
        }
    }

    /**
     * C[8, NR] (+)= A[8, kLen] . B[kLen, NR]: 16 FMA chains, for 32-register machines ({@link #TILE8}): the last 8
     * rows stream each panel once instead of twice (tile6 then tile2). Eight rows in all mostly run as
     * {@link #tile8x2}, with the same sums.
     */
    static void tile8(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                      MemorySegment b, int bOff, int kLen, boolean accumulate) {
        int c0 = cOff;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, c0) : z;
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, c0 + V) : z;
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1) : z;
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + V) : z;
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2) : z;
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, c, c2 + V) : z;
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3) : z;
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, c, c3 + V) : z;
        FloatVector s40 = accumulate ? FloatVector.fromArray(S, c, c4) : z;
        FloatVector s41 = accumulate ? FloatVector.fromArray(S, c, c4 + V) : z;
        FloatVector s50 = accumulate ? FloatVector.fromArray(S, c, c5) : z;
        FloatVector s51 = accumulate ? FloatVector.fromArray(S, c, c5 + V) : z;
        FloatVector s60 = accumulate ? FloatVector.fromArray(S, c, c6) : z;
        FloatVector s61 = accumulate ? FloatVector.fromArray(S, c, c6 + V) : z;
        FloatVector s70 = accumulate ? FloatVector.fromArray(S, c, c7) : z;
        FloatVector s71 = accumulate ? FloatVector.fromArray(S, c, c7 + V) : z;
        int a0 = aOff;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        MemorySegment panel = b.asSlice((long) bOff * Float.BYTES, (long) kLen * NR * Float.BYTES);
        for (int k = 0; k < kLen; k++) {
            long bo = (long) k * NR * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, panel, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, panel, bo + (long) V * Float.BYTES, ORDER);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(S, a[a3 + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            x = FloatVector.broadcast(S, a[a4 + k]);
            s40 = b0.fma(x, s40);
            s41 = b1.fma(x, s41);
            x = FloatVector.broadcast(S, a[a5 + k]);
            s50 = b0.fma(x, s50);
            s51 = b1.fma(x, s51);
            x = FloatVector.broadcast(S, a[a6 + k]);
            s60 = b0.fma(x, s60);
            s61 = b1.fma(x, s61);
            x = FloatVector.broadcast(S, a[a7 + k]);
            s70 = b0.fma(x, s70);
            s71 = b1.fma(x, s71);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + V);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + V);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + V);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + V);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + V);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + V);
        s60.intoArray(c, c6);
        s61.intoArray(c, c6 + V);
        s70.intoArray(c, c7);
        s71.intoArray(c, c7 + V);
    }

    /** C[6, NR] (+)= A[6, kLen] . B[kLen, NR]. */
    static void tile6(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                      MemorySegment b, int bOff, int kLen, boolean accumulate) {
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, cOff) : z;
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, cOff + V) : z;
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1) : z;
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + V) : z;
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2) : z;
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, c, c2 + V) : z;
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3) : z;
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, c, c3 + V) : z;
        FloatVector s40 = accumulate ? FloatVector.fromArray(S, c, c4) : z;
        FloatVector s41 = accumulate ? FloatVector.fromArray(S, c, c4 + V) : z;
        FloatVector s50 = accumulate ? FloatVector.fromArray(S, c, c5) : z;
        FloatVector s51 = accumulate ? FloatVector.fromArray(S, c, c5 + V) : z;
        int a1 = aOff + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        MemorySegment panel = b.asSlice((long) bOff * Float.BYTES, (long) kLen * NR * Float.BYTES);
        for (int k = 0; k < kLen; k++) {
            long bo = (long) k * NR * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, panel, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, panel, bo + (long) V * Float.BYTES, ORDER);
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(S, a[a3 + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            x = FloatVector.broadcast(S, a[a4 + k]);
            s40 = b0.fma(x, s40);
            s41 = b1.fma(x, s41);
            x = FloatVector.broadcast(S, a[a5 + k]);
            s50 = b0.fma(x, s50);
            s51 = b1.fma(x, s51);
        }
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + V);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + V);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + V);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + V);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + V);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + V);
    }

    /**
     * Half h (0 or 1: columns h V .. h V + V) of C[8, NR] = A[8, kLen] . B[kLen, NR] for two panels at once, panel i
     * at {@code b[bOff + i*bStride]} and its C at {@code c[cOff + i*cStride]}: 16 accumulators, two streams of B.
     */
    static void tile8x2(float[] c, int cOff, int ldc, int cStride, float[] a, int aOff, int lda,
                        MemorySegment b, int bOff, int bStride, int kLen, int h) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z;
        FloatVector s01 = z;
        FloatVector s10 = z;
        FloatVector s11 = z;
        FloatVector s20 = z;
        FloatVector s21 = z;
        FloatVector s30 = z;
        FloatVector s31 = z;
        FloatVector s40 = z;
        FloatVector s41 = z;
        FloatVector s50 = z;
        FloatVector s51 = z;
        FloatVector s60 = z;
        FloatVector s61 = z;
        FloatVector s70 = z;
        FloatVector s71 = z;
        int a0 = aOff;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        int b0 = bOff + h * V;
        int b1 = b0 + bStride;
        for (int k = 0; k < kLen; k++) {
            FloatVector p = load(b, b0 + k * NR);
            FloatVector q = load(b, b1 + k * NR);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            s00 = p.fma(x, s00);
            s01 = q.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            s10 = p.fma(x, s10);
            s11 = q.fma(x, s11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            s20 = p.fma(x, s20);
            s21 = q.fma(x, s21);
            x = FloatVector.broadcast(S, a[a3 + k]);
            s30 = p.fma(x, s30);
            s31 = q.fma(x, s31);
            x = FloatVector.broadcast(S, a[a4 + k]);
            s40 = p.fma(x, s40);
            s41 = q.fma(x, s41);
            x = FloatVector.broadcast(S, a[a5 + k]);
            s50 = p.fma(x, s50);
            s51 = q.fma(x, s51);
            x = FloatVector.broadcast(S, a[a6 + k]);
            s60 = p.fma(x, s60);
            s61 = q.fma(x, s61);
            x = FloatVector.broadcast(S, a[a7 + k]);
            s70 = p.fma(x, s70);
            s71 = q.fma(x, s71);
        }
        s00.intoArray(c, cOff + h * V);
        s01.intoArray(c, cOff + cStride + 0 * ldc + h * V);
        s10.intoArray(c, cOff + 1 * ldc + h * V);
        s11.intoArray(c, cOff + cStride + 1 * ldc + h * V);
        s20.intoArray(c, cOff + 2 * ldc + h * V);
        s21.intoArray(c, cOff + cStride + 2 * ldc + h * V);
        s30.intoArray(c, cOff + 3 * ldc + h * V);
        s31.intoArray(c, cOff + cStride + 3 * ldc + h * V);
        s40.intoArray(c, cOff + 4 * ldc + h * V);
        s41.intoArray(c, cOff + cStride + 4 * ldc + h * V);
        s50.intoArray(c, cOff + 5 * ldc + h * V);
        s51.intoArray(c, cOff + cStride + 5 * ldc + h * V);
        s60.intoArray(c, cOff + 6 * ldc + h * V);
        s61.intoArray(c, cOff + cStride + 6 * ldc + h * V);
        s70.intoArray(c, cOff + 7 * ldc + h * V);
        s71.intoArray(c, cOff + cStride + 7 * ldc + h * V);
    }

    /** C[4, NR] (+)= A[4, kLen] . B[kLen, NR]. */
    static void tile4(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                      MemorySegment b, int bOff, int kLen, boolean accumulate) {
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, cOff) : z;
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, cOff + V) : z;
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1) : z;
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + V) : z;
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2) : z;
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, c, c2 + V) : z;
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3) : z;
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, c, c3 + V) : z;
        int a1 = aOff + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        MemorySegment panel = b.asSlice((long) bOff * Float.BYTES, (long) kLen * NR * Float.BYTES);
        for (int k = 0; k < kLen; k++) { // indices into a slice of exactly the loop's extent: C2 drops the checks
            long bo = (long) k * NR * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, panel, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, panel, bo + (long) V * Float.BYTES, ORDER);
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(S, a[a3 + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
        }
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + V);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + V);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + V);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + V);
    }

    /** C[2, NR] (+)= A[2, kLen] . B[kLen, NR]; the first half of K in s, the second in t. */
    static void tile2(float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                      MemorySegment b, int bOff, int kLen, boolean accumulate) {
        int c1 = cOff + ldc;
        int a1 = aOff + lda;
        int h = kLen / 2;
        int bh = bOff + h * NR;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, cOff) : z;
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, cOff + V) : z;
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1) : z;
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + V) : z;
        FloatVector t00 = z;
        FloatVector t01 = z;
        FloatVector t10 = z;
        FloatVector t11 = z;
        for (int k = 0; k < h; k++) {
            FloatVector b0 = load(b, bOff + k * NR);
            FloatVector b1 = load(b, bOff + k * NR + V);
            FloatVector d0 = load(b, bh + k * NR);
            FloatVector d1 = load(b, bh + k * NR + V);
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(S, a[aOff + h + k]);
            t00 = d0.fma(x, t00);
            t01 = d1.fma(x, t01);
            x = FloatVector.broadcast(S, a[a1 + h + k]);
            t10 = d0.fma(x, t10);
            t11 = d1.fma(x, t11);
        }
        if (2 * h < kLen) {
            int bo = bOff + 2 * h * NR;
            FloatVector b0 = load(b, bo);
            FloatVector b1 = load(b, bo + V);
            FloatVector x = FloatVector.broadcast(S, a[aOff + 2 * h]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(S, a[a1 + 2 * h]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
        }
        s00.add(t00).intoArray(c, cOff);
        s01.add(t01).intoArray(c, cOff + V);
        s10.add(t10).intoArray(c, c1);
        s11.add(t11).intoArray(c, c1 + V);
    }

    /**
     * C[1, NR] = A[1, kLen] . B[kLen, NR] for four panels at once, panel i at {@code b[bOff + i*bStride]} and
     * its C at {@code c[cOff + i*cStride]}: the GEMV tile for one row. Its caller puts the four panels far apart,
     * so one core streams B from four regions at once (more cache misses in flight than four streams inside one
     * panel). {@code x.fma(load)} lets C2 fold each load into its FMA, so the loop holds 9 registers.
     */
    static void gemv4(float[] c, int cOff, int cStride, float[] a, int aOff,
                      MemorySegment b, int bOff, int bStride, int kLen) {
        int b1 = bOff + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z;
        FloatVector s01 = z;
        FloatVector s10 = z;
        FloatVector s11 = z;
        FloatVector s20 = z;
        FloatVector s21 = z;
        FloatVector s30 = z;
        FloatVector s31 = z;
        for (int k = 0; k < kLen; k++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            int o = k * NR;
            s00 = x.fma(load(b, bOff + o), s00);
            s01 = x.fma(load(b, bOff + o + V), s01);
            s10 = x.fma(load(b, b1 + o), s10);
            s11 = x.fma(load(b, b1 + o + V), s11);
            s20 = x.fma(load(b, b2 + o), s20);
            s21 = x.fma(load(b, b2 + o + V), s21);
            s30 = x.fma(load(b, b3 + o), s30);
            s31 = x.fma(load(b, b3 + o + V), s31);
        }
        s00.intoArray(c, cOff);
        s01.intoArray(c, cOff + V);
        s10.intoArray(c, cOff + cStride);
        s11.intoArray(c, cOff + cStride + V);
        s20.intoArray(c, cOff + 2 * cStride);
        s21.intoArray(c, cOff + 2 * cStride + V);
        s30.intoArray(c, cOff + 3 * cStride);
        s31.intoArray(c, cOff + 3 * cStride + V);
    }

    /**
     * C[1, NR] (+)= A[1, kLen] . B[kLen, NR]: the 1-row tile (a last row, or a panel {@link #gemv4} left). The
     * four quarters of K run side by side (s, t, u, w), so the panel is read as four streams (more loads in flight
     * for a product bound by memory bandwidth) and the loop keeps a single unit-stride index, whose range checks C2
     * hoists (a stride-2 loop kept them and ran ~25% slower).
     */
    static void tile1(float[] c, int cOff, float[] a, int aOff, MemorySegment b, int bOff, int kLen,
                      boolean accumulate) {
        int q = kLen / 4;
        int a1 = aOff + q;
        int a2 = a1 + q;
        int a3 = a2 + q;
        int b1 = bOff + q * NR;
        int b2 = b1 + q * NR;
        int b3 = b2 + q * NR;
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, cOff) : z;
        FloatVector s1 = accumulate ? FloatVector.fromArray(S, c, cOff + V) : z;
        FloatVector t0 = z;
        FloatVector t1 = z;
        FloatVector u0 = z;
        FloatVector u1 = z;
        FloatVector w0 = z;
        FloatVector w1 = z;
        for (int k = 0; k < q; k++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            s0 = load(b, bOff + k * NR).fma(x, s0);
            s1 = load(b, bOff + k * NR + V).fma(x, s1);
            x = FloatVector.broadcast(S, a[a1 + k]);
            t0 = load(b, b1 + k * NR).fma(x, t0);
            t1 = load(b, b1 + k * NR + V).fma(x, t1);
            x = FloatVector.broadcast(S, a[a2 + k]);
            u0 = load(b, b2 + k * NR).fma(x, u0);
            u1 = load(b, b2 + k * NR + V).fma(x, u1);
            x = FloatVector.broadcast(S, a[a3 + k]);
            w0 = load(b, b3 + k * NR).fma(x, w0);
            w1 = load(b, b3 + k * NR + V).fma(x, w1);
        }
        for (int k = 4 * q; k < kLen; k++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + k]);
            s0 = load(b, bOff + k * NR).fma(x, s0);
            s1 = load(b, bOff + k * NR + V).fma(x, s1);
        }
        s0.add(t0).add(u0.add(w0)).intoArray(c, cOff);
        s1.add(t1).add(u1.add(w1)).intoArray(c, cOff + V);
    }
}
