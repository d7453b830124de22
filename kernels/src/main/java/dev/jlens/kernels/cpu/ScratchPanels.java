// Per-thread native buffers for the packed copies of activations (B operands that are not prepared weights).
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.storage.OffHeap;
import java.lang.foreign.MemorySegment;

/**
 * Matmul packs every B it multiplies; a prepared weight is packed once, but an activation (k^T in q.k^T, v in
 * pattern.v) is packed per call. Each calling thread reuses one native buffer for that, grown on demand up to
 * {@link #KEEP_BYTES}; larger ones are allocated per call and freed when unreachable. A thread packs and multiplies
 * before it packs again (workers helping with the product only read the panels), so one buffer a thread suffices.
 */
final class ScratchPanels {
    /** Buffers up to this size stay with their thread (16 MiB: k^T of 1024 keys x 64 dims x 64 heads). */
    static final long KEEP_BYTES = 16L << 20;
    private static final ThreadLocal<Buffer> BUFFER = new ThreadLocal<>();

    /** A native buffer, freed when this holder becomes unreachable. */
    private static final class Buffer {
        final MemorySegment segment;

        Buffer(long bytes) {
            segment = OffHeap.allocateFor(this, bytes, "matmul scratch panels");
        }
    }

    private ScratchPanels() {}

    /** B[K,N] at {@code b[off + k*rowStride + n*colStride]} packed into this thread's buffer. */
    static PackedMatrix pack(float[] b, int off, int rowStride, int colStride, int k, int n) {
        long bytes = Matmul.packedFloats(k, n) * Float.BYTES;
        Buffer buffer = BUFFER.get();
        if (buffer == null || buffer.segment.byteSize() < bytes) {
            buffer = new Buffer(Math.max(bytes, 64 << 10));
            if (bytes <= KEEP_BYTES) {
                BUFFER.set(buffer);
            }
        }
        return Matmul.packInto(buffer.segment.asSlice(0, bytes), buffer, b, off, rowStride, colStride, k, n);
    }
}
