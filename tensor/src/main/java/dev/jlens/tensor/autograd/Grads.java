// Gradient buffers of a backward pass, one per storage, read and written through the views ops used.
package dev.jlens.tensor.autograd;

import dev.jlens.tensor.StridedCursor;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.Storage;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * d output / d storage element, one float buffer per storage that gradient reached. Gradients are added through
 * the same view (shape, strides, offset) the forward op read, so views need no backward of their own: a reshape,
 * permute, slice or select reads and writes the right elements, and a broadcast (stride 0) view sums its copies.
 */
final class Grads {
    private final Map<Storage, float[]> buffers = new IdentityHashMap<>(); // storage -> [storage.size()]

    /** The gradient of {@code view} as a contiguous tensor (sharing the buffer when view is the whole storage). */
    Tensor of(Tensor view) {
        float[] buf = buffers.get(view.storage());
        if (buf == null) {
            return null;
        }
        if (view.isContiguous() && view.offset() == 0 && view.numel() == buf.length) {
            return Tensor.of(buf, view.shape());
        }
        float[] out = new float[view.numel()];
        int i = 0;
        for (StridedCursor c = new StridedCursor(view); c.hasElement(); c.next()) {
            out[i++] = buf[c.position()];
        }
        return Tensor.of(out, view.shape());
    }

    /** Adds {@code g} (view's shape, any layout) to the gradient of {@code view}. */
    void add(Tensor view, Tensor g) {
        float[] buf = buffers.computeIfAbsent(view.storage(), s -> new float[Math.toIntExact(s.size())]);
        Tensor src = g.toHost();
        if (view.isContiguous() && src.isContiguous() && src.storage() instanceof HeapStorage heap) {
            float[] values = heap.array();
            int n = view.numel();
            for (int i = 0; i < n; i++) {
                buf[view.offset() + i] += values[src.offset() + i];
            }
            return;
        }
        int last = view.rank() - 1;
        if (last >= 0 && view.numel() > 0 && view.stride(last) == 1 && src.stride(last) == 1
                && src.storage() instanceof HeapStorage heap) { // rows of contiguous floats (q, k, v of the qkv GEMM)
            addRows(buf, view, heap.array(), src);
            return;
        }
        Storage values = src.storage();
        StridedCursor s = new StridedCursor(src);
        for (StridedCursor d = new StridedCursor(view); d.hasElement(); d.next(), s.next()) {
            buf[d.position()] += values.get(s.position());
        }
    }

    /** buf[view] += values[src] row by row, both with unit stride along their last axis. */
    private static void addRows(float[] buf, Tensor view, float[] values, Tensor src) {
        int last = view.rank() - 1;
        int n = view.size(last);
        StridedCursor s = new StridedCursor(src.narrow(last, 0, 1));
        for (StridedCursor d = new StridedCursor(view.narrow(last, 0, 1)); d.hasElement(); d.next(), s.next()) {
            int to = d.position();
            int from = s.position();
            for (int i = 0; i < n; i++) {
                buf[to + i] += values[from + i];
            }
        }
    }

    /** Sets the gradient of {@code view} to 0 (its elements were overwritten, or a hook replaces it). */
    void zero(Tensor view) {
        float[] buf = buffers.get(view.storage());
        if (buf != null) {
            for (StridedCursor c = new StridedCursor(view); c.hasElement(); c.next()) {
                buf[c.position()] = 0;
            }
        }
    }

    /** Frees the buffer of {@code storage}: no earlier op can read it (the op that made it was just replayed). */
    void drop(Storage storage) {
        buffers.remove(storage);
    }
}
