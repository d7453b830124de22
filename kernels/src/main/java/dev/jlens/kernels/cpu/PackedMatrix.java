// The right operand B[K,N] of Matmul, packed once into column panels of width NR off the Java heap.
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Device;
import dev.jlens.tensor.storage.OffHeap;
import dev.jlens.tensor.storage.Storage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * A matrix B[K,N] packed by {@link Matmul#pack} for {@link Matmul#multiply}: N is cut into panels of
 * {@code nr} columns, and panel p holds rows 0..K-1 of its columns back to back, so the micro-kernel
 * streams it with unit stride: {@code data[(p*K + k)*nr + j] = B[k, p*nr + j]}, zero past column N-1.
 * With the scalar twins ({@code -Djlens.vectorBits=0}) {@code nr} is 1 and the data is B transposed.
 *
 * <p>It is also the {@link Storage} of a prepared weight: element {@code k*N + n} is B[k, n], so a tensor of shape
 * [K, N] and strides [N, 1] over it, and every view of that tensor (a head's slice, a transpose), reads B without
 * another copy of the weight. The panels live in native memory ({@code data}); read-only once packed; shared by
 * every thread.
 */
public final class PackedMatrix implements Storage {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    final MemorySegment data; // [panels, K, nr] floats, native order; global scope: no liveness check per load
    final int nr;
    private final int k;
    private final int n;
    private final Object owner; // frees data when unreachable: this, or the scratch buffer data belongs to

    /** Panels of their own (zeroed, freed with this object) for B[k, n] at panel width nr. */
    PackedMatrix(int nr, int k, int n) {
        this.nr = nr;
        this.k = k;
        this.n = n;
        this.owner = this;
        this.data = OffHeap.allocateFor(this, Matmul.packedFloats(k, n) * Float.BYTES,
                "a packed [" + k + ", " + n + "] matrix");
    }

    /** Panels in {@code data}, which {@code owner} keeps alive. */
    PackedMatrix(MemorySegment data, Object owner, int nr, int k, int n) {
        this.data = data;
        this.owner = owner;
        this.nr = nr;
        this.k = k;
        this.n = n;
    }

    /** Keeps the panels' memory alive up to this call; readers of {@link #data} call it when done. */
    void keepAlive() {
        Reference.reachabilityFence(owner);
    }

    /** Rows of B: the inner dimension K of the product. */
    public int k() {
        return k;
    }

    /** Columns of B: the width N of the product. */
    public int n() {
        return n;
    }

    /** Column panels of width nr; the last one is zero-padded when nr does not divide N. */
    int panels() {
        return (n + nr - 1) / nr;
    }

    /** Offset of row k0 of panel p in {@link #data}, in floats. */
    int offset(int p, int k0) {
        return (p * k + k0) * nr;
    }

    /** Index in {@link #data} of B[row, col]. */
    long indexOf(int row, int col) {
        return (long) offset(col / nr, row) + col % nr;
    }

    /** out[i, :] = B[:, cols[i]]: columns of B as rows of K floats (the embedding rows of a tied W_U = W_E^T). */
    void gatherColumns(int[] cols, float[] out) {
        for (int i = 0; i < cols.length; i++) {
            long base = indexOf(0, cols[i]);
            for (int r = 0; r < k; r++) {
                out[i * k + r] = data.getAtIndex(FLOAT, base + (long) r * nr);
            }
        }
        keepAlive();
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long size() {
        return (long) k * n;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public float get(long index) {
        float value = data.getAtIndex(FLOAT, indexOf((int) (index / n), (int) (index % n)));
        keepAlive();
        return value;
    }

    @Override
    public void set(long index, float value) {
        throw new UnsupportedOperationException("a prepared (packed) weight is read-only; copy it to change values");
    }

    @Override
    public String toString() {
        return "PackedMatrix[K=" + k + ", N=" + n + ", panel width " + nr + "]";
    }
}
