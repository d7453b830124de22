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
 * bulk copies where the row is contiguous F32, element by element otherwise. A transposed view (W_U read from
 * W_E's storage) is first copied once, transposed in cache-sized blocks, so its rows read at memory speed.
 */
final class WeightRows {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int BLOCK = 64; // rows x columns of one transposed block

    private final Tensor t; // [rows, n]
    private final float[] row;

    /** Rows of t [rows, n]; a transposed copy, if one is needed, lives in {@code arena}. */
    WeightRows(Tensor t, Arena arena) {
        this.t = t.stride(1) != 1 && t.size(1) > 1 ? transposedCopy(t, arena) : t;
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

    /** A row-major copy of t [rows, n] off the heap, read in BLOCK x BLOCK tiles. */
    private static Tensor transposedCopy(Tensor t, Arena arena) {
        int rows = t.size(0);
        int n = t.size(1);
        MemorySegment out = OffHeap.allocate((long) rows * n * Float.BYTES, arena, "a transposed weight");
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            for (int c0 = 0; c0 < n; c0 += BLOCK) {
                for (int c = c0; c < Math.min(n, c0 + BLOCK); c++) {
                    for (int r = r0; r < Math.min(rows, r0 + BLOCK); r++) {
                        long from = t.offset() + (long) r * t.stride(0) + (long) c * t.stride(1);
                        out.setAtIndex(ValueLayout.JAVA_FLOAT, (long) r * n + c, t.storage().get(from));
                    }
                }
            }
        }
        return Tensor.view(new SegmentStorage(out, DType.F32), new int[] {rows, n}, new int[] {n, 1}, 0);
    }

    /** A [rows, n] float32 result filled row by row from double rows. */
    static Writer writer(int rows, int n, Arena arena, String name) {
        return new Writer(rows, n, arena, name);
    }

    /** Collects a result row by row: fill {@link #row}, then {@link #put} it. */
    static final class Writer {
        private final int n;
        private final double[] row;
        private final Tensor out;
        private final float[] heap;          // when small
        private final MemorySegment segment; // when large

        private Writer(int rows, int n, Arena arena, String name) {
            this.n = n;
            this.row = new double[n];
            long count = (long) rows * n;
            if (count < WeightProcessing.OFF_HEAP_MIN) {
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
            long base = (long) r * n;
            for (int j = 0; j < n; j++) {
                if (heap != null) {
                    heap[(int) base + j] = (float) row[j];
                } else {
                    segment.setAtIndex(ValueLayout.JAVA_FLOAT, base + j, (float) row[j]);
                }
            }
        }

        /** The result, [rows, n]. */
        Tensor tensor() {
            return out;
        }
    }
}
