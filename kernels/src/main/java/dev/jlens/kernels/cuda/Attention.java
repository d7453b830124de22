// Launcher for attention.cu: fused causal attention (scores, mask, softmax, value mix), one block per (b, i, h).
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * z [B, Pq, H, E] from contiguous device q [B, Pq, H, E], k and v [B, Pk, H, E], keyMask [B, Pk] or null; the
 * math is in attention.cu. Each block keeps one query's Pk scores in shared memory.
 */
final class Attention {
    /** Threads per (b, i, h) block. */
    private static final int THREADS = 128;

    private Attention() {}

    static Tensor causal(CudaContext cuda, Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        int batch = q.size(0);
        int pq = q.size(1);
        int heads = q.size(2);
        int e = q.size(3);
        int pk = k.size(1);
        Tensor z = DeviceTensors.empty(cuda, batch, pq, heads, e);
        long blocks = (long) batch * pq * heads;
        if (blocks == 0 || e == 0) {
            return z;
        }
        if (pk == 0) {
            Elementwise.fill(cuda, z, 0f);
            return z;
        }
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cuda attention: B*Pq*H = " + blocks + " blocks exceeds the grid limit");
        }
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).tensor(z).tensor(q).tensor(k).tensor(v).tensor(keyMask)
                    .i32(batch).i32(pq).i32(pk).i32(heads).i32(e).f32(scale);
            cuda.launch(Kernel.CAUSAL_ATTENTION, new LaunchConfig((int) blocks, THREADS, pk * Float.BYTES), a,
                    "q " + Shape.str(q.shape()) + ", k/v " + Shape.str(k.shape())
                            + (keyMask == null ? "" : ", keyMask " + Shape.str(keyMask.shape())));
        }
        return z;
    }
}
