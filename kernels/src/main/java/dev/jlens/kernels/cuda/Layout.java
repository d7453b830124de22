// The Java twin of layout.cuh's struct Layout: a strided view's shape and strides, passed by value to kernels.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@code struct Layout { int rank; int shape[8]; int stride[8]; }} (68 bytes): element i of the view, counted
 * row-major over shape, lives at base + sum_d idx_d(i) * stride[d]; broadcast dims have stride 0.
 */
final class Layout {
    /** JLENS_MAX_RANK in layout.cuh. */
    static final int MAX_RANK = 8;
    /** The C struct, for allocation. */
    static final MemoryLayout STRUCT = MemoryLayout.structLayout(JAVA_INT.withName("rank"),
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_INT).withName("shape"),
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_INT).withName("stride"));

    private Layout() {}

    /** The struct for {@code t}'s view (its offset goes into the base pointer, not here). */
    static MemorySegment of(Tensor t, SegmentAllocator allocator) {
        int rank = t.rank();
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException("cuda: tensors of rank " + rank + " " + Shape.str(t.shape())
                    + " are not supported (at most " + MAX_RANK + " dims); reshape first");
        }
        MemorySegment s = allocator.allocate(STRUCT);
        s.set(JAVA_INT, 0, rank);
        for (int d = 0; d < rank; d++) {
            s.setAtIndex(JAVA_INT, 1 + d, t.size(d));
            s.setAtIndex(JAVA_INT, 1 + MAX_RANK + d, t.stride(d));
        }
        return s;
    }
}
