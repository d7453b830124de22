// Layout plumbing of the CPU backend: dense copies, rows along a dim, strided copy/fill, gather.
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.StridedCursor;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** Moves elements between strided views and the contiguous rows the kernels read. */
final class Layouts {
    private Layouts() {}

    /** t itself when it is a contiguous heap tensor, else a contiguous heap copy. */
    static Tensor dense(Tensor t) {
        if (t.isContiguous() && t.storage() instanceof HeapStorage) {
            return t;
        }
        Tensor out = Tensor.zeros(t.shape());
        copy(out, t);
        return out;
    }

    /**
     * t itself when it is on the heap and its last axis is contiguous, whatever its other strides (a KV cache's keys:
     * a permuted narrow of a longer buffer), else a dense copy.
     */
    static Tensor rowsContiguous(Tensor t) {
        boolean inPlace = t.storage() instanceof HeapStorage && t.rank() > 0
                && (t.size(-1) <= 1 || t.stride(-1) == 1);
        return inPlace ? t : dense(t);
    }

    /** t with {@code dim} moved last, dense: [rows, size(dim)] in row-major order. */
    static Tensor rowsAlong(Tensor t, int dim) {
        return dense(t.movedim(dim, -1));
    }

    /** The inverse of {@link #rowsAlong}: rows with {@code dim} last, as a tensor of {@code shape}. */
    static Tensor fromRowsAlong(float[] rows, int[] shape, int dim) {
        if (dim == shape.length - 1) {
            return Tensor.of(rows, shape);
        }
        Tensor out = Tensor.zeros(shape);
        Tensor moved = out.movedim(dim, -1);
        copy(moved, Tensor.of(rows, moved.shape()));
        return out;
    }

    /** True when b is one heap row [n] repeated over every leading dim (a bias: strides 0 except the last, 1). */
    static boolean isRowBroadcast(Tensor b) {
        if (b.rank() == 0 || b.stride(-1) != 1 || !(b.storage() instanceof HeapStorage)) {
            return false;
        }
        for (int d = 0; d < b.rank() - 1; d++) {
            if (b.stride(d) != 0 && b.size(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /** dst = src elementwise (same shapes): whole-array, per-row or per-element copies by layout. */
    static void copy(Tensor dst, Tensor src) {
        int n = dst.numel();
        if (bothHeap(dst, src) && dst.isContiguous() && src.isContiguous()) {
            System.arraycopy(src.heapArray(), src.offset(), dst.heapArray(), dst.offset(), n);
        } else if (dst.storage() instanceof HeapStorage && dst.isContiguous() && src.isContiguous()
                && src.storage() instanceof SegmentStorage s && s.dtype() == DType.F32) {
            MemorySegment.copy(s.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, (long) src.offset() * Float.BYTES,
                    dst.heapArray(), dst.offset(), n);
        } else if (rowsCopyable(dst, src)) {
            int row = dst.size(-1);
            StridedCursor s = new StridedCursor(src.select(-1, 0));
            for (StridedCursor d = new StridedCursor(dst.select(-1, 0)); d.hasElement(); d.next(), s.next()) {
                if (src.storage() instanceof SegmentStorage segment) {
                    MemorySegment.copy(segment.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED,
                            (long) s.position() * Float.BYTES, dst.heapArray(), d.position(), row);
                } else {
                    System.arraycopy(src.heapArray(), s.position(), dst.heapArray(), d.position(), row);
                }
            }
        } else if (rowsOfOneValue(dst, src)) { // a broadcast [..., 1]: fill each row
            int row = dst.size(-1);
            StridedCursor s = new StridedCursor(src.select(-1, 0));
            for (StridedCursor d = new StridedCursor(dst.select(-1, 0)); d.hasElement(); d.next(), s.next()) {
                Arrays.fill(dst.heapArray(), d.position(), d.position() + row, src.storage().get(s.position()));
            }
        } else if (n > 0) {
            StridedCursor s = new StridedCursor(src);
            for (StridedCursor d = new StridedCursor(dst); d.hasElement(); d.next(), s.next()) {
                dst.storage().set(d.position(), src.storage().get(s.position()));
            }
        }
    }

    /** dst[i] = value. */
    static void fill(Tensor dst, float value) {
        if (dst.isContiguous() && dst.storage() instanceof HeapStorage) {
            Arrays.fill(dst.heapArray(), dst.offset(), dst.offset() + dst.numel(), value);
            return;
        }
        for (StridedCursor d = new StridedCursor(dst); d.hasElement(); d.next()) {
            dst.storage().set(d.position(), value);
        }
    }

    /** torch.gather along {@code dim}: out[i..] = a[i.. with i_dim = index[i..]]; indices already checked. */
    static Tensor gather(Tensor a, int dim, Tensor index) {
        int[] shape = index.shape();
        float[] out = new float[index.numel()];
        int[] at = new int[shape.length];
        int i = 0;
        for (StridedCursor c = new StridedCursor(index); c.hasElement(); c.next()) {
            int position = a.offset();
            for (int d = 0; d < shape.length; d++) {
                int coordinate = d == dim ? (int) index.storage().get(c.position()) : at[d];
                position += coordinate * a.stride(d);
            }
            out[i++] = a.storage().get(position);
            for (int d = shape.length - 1; d >= 0 && ++at[d] == shape[d]; d--) {
                at[d] = 0;
            }
        }
        return Tensor.of(out, shape);
    }

    /** True when both have unit-stride rows and src is on the heap or an F32 segment, dst on the heap. */
    private static boolean rowsCopyable(Tensor dst, Tensor src) {
        boolean source = src.storage() instanceof HeapStorage
                || src.storage() instanceof SegmentStorage s && s.dtype() == DType.F32;
        return source && dst.storage() instanceof HeapStorage && dst.rank() > 0 && dst.size(-1) > 0
                && dst.stride(-1) == 1 && src.stride(-1) == 1;
    }

    /** True when dst has unit-stride heap rows and src repeats one value along each (stride 0). */
    private static boolean rowsOfOneValue(Tensor dst, Tensor src) {
        return dst.storage() instanceof HeapStorage && dst.rank() > 0 && dst.size(-1) > 0 && dst.stride(-1) == 1
                && src.stride(-1) == 0;
    }

    private static boolean bothHeap(Tensor a, Tensor b) {
        return a.storage() instanceof HeapStorage && b.storage() instanceof HeapStorage;
    }
}
