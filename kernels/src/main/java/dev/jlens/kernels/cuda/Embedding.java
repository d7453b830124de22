// Launcher for embedding.cu: rows of a device table picked by index (index_select on dim 0, the embedding lookup).
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** out [C, D] = table[index[c], :] for a contiguous device table [V, D] and C host indices (checked by Tensor). */
final class Embedding {
    private Embedding() {}

    static Tensor gatherRows(CudaContext cuda, Tensor table, int[] index, int d) {
        Tensor out = DeviceTensors.empty(cuda, index.length, d);
        if (index.length == 0 || d == 0) {
            return out;
        }
        long ids = cuda.alloc((long) index.length * Integer.BYTES); // [C] int32, freed after the kernel (stream order)
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocateFrom(JAVA_INT, index);
            cuda.upload(ids, host, host.byteSize());
            KernelArgs a = new KernelArgs(arena).tensor(out).tensor(table).i64(ids).i32(index.length).i32(d);
            cuda.launch(Kernel.GATHER_ROWS, LaunchConfig.elementwise((long) index.length * d), a,
                    "table " + Shape.str(table.shape()) + ", " + index.length + " indices");
        } finally {
            cuda.free(ids);
        }
        return out;
    }
}
