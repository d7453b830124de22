// Row-by-row access to a 2-D weight for weight processing: read any view as float rows, write double rows as float32.
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
 * Reads rows of a [rows, n] view (a mapped file, an off-heap buffer or a heap array) into one reused float[n]:
 * bulk copies where the row is contiguous F32, element by element otherwise (a tied, transposed W_U is read in
 * W_E's row order by {@link TransposedUnembed} instead).
 */
final class WeightRows {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final Tensor t; // [rows, n]
    private final float[] row;

    /** Rows of t [rows, n]. */
    WeightRows(Tensor t) {
        this.t = t;
        this.row = new float[t.size(1)];
    }

    /** Row {@code r}; the returned array is reused by the next call. */
    float[] row(int r) {
        int n = row.length;
        long start = t.offset() + (long) r * t.stride(0);
        if (t.stride(1) == 1 && t.storage() instanceof SegmentStorage s && s.dtype() == DType.F32) {
            MemorySegment.copy(s.segment(), F32, start * Float.BYTES, row, 0, n);
        } else if (t.stride(1) == 1 && t.storage() instanceof HeapStorage h) {
            System.arraycopy(h.array(), Math.toIntExact(start), row, 0, n);
        } else {
            for (int j = 0; j < n; j++) {
                row[j] = t.storage().get(start + (long) j * t.stride(1));
            }
        }
        return row;
    }

    /** A [rows, n] float32 result filled row by row from double rows. */
    static Writer writer(int rows, int n, Arena arena, String name) {
        return new Writer(rows, n, arena, name, null);
    }

    /** A writer into {@code target} [rows, n], contiguous F32 off the heap (a result of an earlier step). */
    static Writer writerInto(Tensor target) {
        return new Writer(target.size(0), target.size(1), null, null, target);
    }

    /** Collects a result row by row: fill {@link #row}, then {@link #put} it. */
    static final class Writer {
        private final int n;
        private final double[] row;
        private final float[] rounded;
        private final Tensor out;
        private final float[] heap;          // when small
        private final MemorySegment segment; // when large

        private Writer(int rows, int n, Arena arena, String name, Tensor target) {
            this.n = n;
            this.row = new double[n];
            this.rounded = new float[n];
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

        /** The row buffer to fill before {@link #put}. */
        double[] row() {
            return row;
        }

        /** Stores the row buffer, rounded to float32, as row {@code r}. */
        void put(int r) {
            for (int j = 0; j < n; j++) {
                rounded[j] = (float) row[j];
            }
            long base = (long) r * n;
            if (heap != null) {
                System.arraycopy(rounded, 0, heap, (int) base, n);
            } else {
                MemorySegment.copy(rounded, 0, segment, ValueLayout.JAVA_FLOAT, base * Float.BYTES, n);
            }
        }

        /** The result, [rows, n]. */
        Tensor tensor() {
            return out;
        }
    }
}
