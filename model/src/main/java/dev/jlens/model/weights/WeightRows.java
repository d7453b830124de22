// Access to a 2-D weight for weight processing a chunk of rows at a time: read any view as float rows, write float32.
package dev.jlens.model.weights;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.OffHeap;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads rows of a [rows, n] view (a mapped file, an off-heap buffer or a heap array) a chunk at a time into one reused
 * float[chunk * n]: bulk copies where rows are contiguous F32, element by element otherwise (a tied, transposed W_U
 * is read in W_E's row order by {@link TransposedUnembed} instead). Chunks of several rows keep the per-row work out
 * of the callers' loops, so those loops stay cold for the JIT and only the short {@link RowMath} loops get compiled.
 */
final class WeightRows {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int CHUNK_FLOATS = 1 << 14; // 64 KB of rows per chunk (at least one row)

    private final Tensor t; // [rows, n]
    private final int n;
    private final float[] chunk;

    /** Rows of t [rows, n]. */
    WeightRows(Tensor t) {
        this.t = t;
        this.n = t.size(1);
        this.chunk = new float[chunkRows(n) * n];
    }

    /** Rows per chunk for rows of length n. */
    static int chunkRows(int n) {
        return Math.max(1, CHUNK_FLOATS / Math.max(1, n));
    }

    /** Rows read per chunk. */
    int chunkRows() {
        return chunk.length / Math.max(1, n);
    }

    /** Rows [first, first + count) as count * n floats; the returned array is reused by the next call. */
    float[] read(int first, int count) {
        long start = t.offset() + (long) first * t.stride(0);
        if (t.stride(1) == 1 && t.stride(0) == n && t.storage() instanceof SegmentStorage s
                && s.dtype() == DType.F32) {
            MemorySegment.copy(s.segment(), F32, start * Float.BYTES, chunk, 0, count * n);
        } else {
            for (int r = 0; r < count; r++) {
                readRow(start + (long) r * t.stride(0), r * n);
            }
        }
        return chunk;
    }

    /** The row starting at element {@code start} of t's storage into chunk[at, at + n). */
    private void readRow(long start, int at) {
        if (t.stride(1) == 1 && t.storage() instanceof SegmentStorage s && s.dtype() == DType.F32) {
            MemorySegment.copy(s.segment(), F32, start * Float.BYTES, chunk, at, n);
        } else if (t.stride(1) == 1 && t.storage() instanceof HeapStorage h) {
            System.arraycopy(h.array(), Math.toIntExact(start), chunk, at, n);
        } else {
            for (int j = 0; j < n; j++) {
                chunk[at + j] = t.storage().get(start + (long) j * t.stride(1));
            }
        }
    }

    /** A [rows, n] float32 result filled a chunk of rows at a time. */
    static Writer writer(int rows, int n, Arena arena, String name) {
        return new Writer(rows, n, arena, name, null);
    }

    /** A writer into {@code target} [rows, n], contiguous F32 off the heap (a result of an earlier step). */
    static Writer writerInto(Tensor target) {
        return new Writer(target.size(0), target.size(1), null, null, target);
    }

    /** Collects a result a chunk at a time: fill {@link #rows}, then {@link #put} them. */
    static final class Writer {
        private final int n;
        private final float[] rows;
        private final Tensor out;
        private final float[] heap;          // when small
        private final MemorySegment segment; // when large

        private Writer(int rows, int n, Arena arena, String name, Tensor target) {
            this.n = n;
            this.rows = new float[chunkRows(n) * n];
            long count = (long) rows * n;
            if (target != null) {
                heap = null;
                segment = ((SegmentStorage) target.storage()).segment();
                out = target;
            } else if (count < WeightProcessing.OFF_HEAP_MIN) {
                heap = new float[(int) count];
                segment = null;
                out = Tensor.of(heap, rows, n);
            } else {
                heap = null;
                segment = OffHeap.allocate(count * Float.BYTES, arena, name + " (processed)");
                out = Tensor.view(new SegmentStorage(segment, DType.F32), new int[] {rows, n}, new int[] {n, 1}, 0);
            }
        }

        /** The buffer of a chunk of rows (as many as {@link WeightRows#chunkRows(int)}) to fill before {@link #put}. */
        float[] rows() {
            return rows;
        }

        /** Stores the first {@code count} rows of the buffer as rows [first, first + count). */
        void put(int first, int count) {
            long base = (long) first * n;
            if (heap != null) {
                System.arraycopy(rows, 0, heap, (int) base, count * n);
            } else {
                MemorySegment.copy(rows, 0, segment, ValueLayout.JAVA_FLOAT, base * Float.BYTES, count * n);
            }
        }

        /** The result, [rows, n]. */
        Tensor tensor() {
            return out;
        }
    }
}
