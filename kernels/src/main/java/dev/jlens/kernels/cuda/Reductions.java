// Launcher for reduce.cu: sum, mean, max and logsumexp along the last dim of contiguous rows.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.ReduceOp;
import java.lang.foreign.Arena;

/** out[r] = reduce_j x[r, j] for x [R, N] contiguous on the device (N > 0); out [R]. */
final class Reductions {
    private Reductions() {}

    static Tensor reduceRows(CudaContext cuda, ReduceOp op, Tensor x, int rows, int n) {
        Tensor out = DeviceTensors.empty(cuda, rows);
        if (rows == 0) {
            return out;
        }
        int code = switch (op) {
            case SUM -> 0;
            case MEAN -> 1;
            case MAX -> 2;
            case LOGSUMEXP -> 3;
        };
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).tensor(out).tensor(x).i32(rows).i32(n).i32(code);
            cuda.launch(Kernel.REDUCE_ROWS, LaunchConfig.rows(rows, n, 0), a, op + " x " + Shape.str(rows, n));
        }
        return out;
    }
}
