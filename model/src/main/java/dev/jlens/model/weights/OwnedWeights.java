// What a model keeps of a loaded tensor: its own mapping of a large one's bytes at most, and the checkpoint's pages
// released part by part.
package dev.jlens.model.weights;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.FileRegion;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.OffHeap;
import dev.jlens.tensor.storage.RowShiftedStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;

/**
 * Loading helpers for the model's unprepared tensors (embeddings, biases, LayerNorm weights). {@link #own} gives a
 * tensor the model may keep after the checkpoint closes; {@link #releaseMappedPages} drops a part's pages of the
 * mapped file from this process's resident memory once the part has been copied (the page cache keeps the file, so
 * a later read costs no disk access).
 */
public final class OwnedWeights {
    private OwnedWeights() {}

    /**
     * t itself when it is on the heap, in off-heap memory that is not a file mapping (processed weights) or computed
     * from such memory ({@link RowShiftedStorage}); a large contiguous F32 view of a file mapping whose region is
     * known: the same bytes mapped again for as long as the result is reachable (no copy: only the pages read later,
     * e.g. the embedding rows a run gathers, become resident; see {@link FileRegion#mapKept}); otherwise a copy: on
     * the heap when small, off the heap (freed with the model) when large.
     */
    public static Tensor own(Tensor t) {
        if (keptAsIs(t)) {
            return t;
        }
        if (t.numel() < WeightProcessing.OFF_HEAP_MIN) {
            return t.contiguous();
        }
        if (keptInPlace(t) && t.storage() instanceof SegmentStorage s) {
            if (!s.segment().isMapped()) {
                return t;
            }
            FileRegion region = s.region().plus((long) t.offset() * Float.BYTES);
            MemorySegment kept = region.mapKept((long) t.numel() * Float.BYTES);
            return Tensor.view(new SegmentStorage(kept, DType.F32, region), t.shape(), t.strides(), 0);
        }
        MemorySegment out = OffHeap.allocate((long) t.numel() * Float.BYTES, Arena.ofAuto(), "a weight "
                + Shape.str(t.shape()));
        Tensor copy = Tensor.view(new SegmentStorage(out, DType.F32), t.shape(), Shape.contiguousStrides(t.shape()), 0);
        return copy.copyFrom(t);
    }

    /** True when {@link #own} copies t off the heap: new memory for the model, as opposed to t or its file's pages. */
    public static boolean copiesOffHeap(Tensor t) {
        return !keptAsIs(t) && t.numel() >= WeightProcessing.OFF_HEAP_MIN && !keptInPlace(t);
    }

    /** On the heap, or computed from memory the model already owns ({@link RowShiftedStorage}). */
    private static boolean keptAsIs(Tensor t) {
        return t.storage() instanceof HeapStorage || t.storage() instanceof RowShiftedStorage;
    }

    /** A contiguous F32 segment that is not a mapping, or a mapping whose file region is known (mapped again). */
    private static boolean keptInPlace(Tensor t) {
        return t.storage() instanceof SegmentStorage s && s.dtype() == DType.F32 && t.isContiguous()
                && (!s.segment().isMapped() || s.region() != null);
    }

    /** False when a tensor of sd lives in memory only its owner thread may read (a confined arena's segment). */
    public static boolean readableByOtherThreads(StateDict sd) {
        return readableByOtherThreads(sd.keys().stream().map(sd::get).toList());
    }

    /** False when one of {@code tensors} lives in memory only its owner thread may read (a confined arena). */
    static boolean readableByOtherThreads(Collection<Tensor> tensors) {
        Thread other = Thread.ofPlatform().unstarted(() -> { });
        for (Tensor t : tensors) {
            if (t.storage() instanceof SegmentStorage s && !s.segment().isAccessibleBy(other)) {
                return false;
            }
        }
        return true;
    }

    /** Releases the mapped pages of every tensor of {@code sd} whose key starts with one of {@code prefixes}. */
    public static void releaseMappedPages(StateDict sd, String... prefixes) {
        for (String key : sd.keys()) {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    release(sd.get(key));
                }
            }
        }
    }

    /** madvise(MADV_DONTNEED) over the bytes of t's view, when t is a view of a file mapping. */
    static void release(Tensor t) {
        if (!(t.storage() instanceof SegmentStorage s) || !s.segment().isMapped() || t.numel() == 0) {
            return;
        }
        long[] span = Shape.span(t.shape(), t.strides(), t.offset()); // first and last element index
        long bytes = s.dtype().byteSize();
        s.segment().asSlice(span[0] * bytes, (span[1] - span[0] + 1) * bytes).unload();
    }
}
