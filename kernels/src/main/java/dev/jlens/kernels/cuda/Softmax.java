// Launcher for softmax.cu: softmax or log_softmax along the last dim of contiguous rows.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;

/** out[r, :] = softmax(x[r, :]) or log_softmax; x, out [R, N] contiguous on the device. */
final class Softmax {
    private Softmax() {}

    static Tensor rows(CudaContext cuda, Tensor x, int rows, int n, boolean log) {
        Tensor out = DeviceTensors.empty(cuda, rows, n);
        if (rows == 0 || n == 0) {
            return out;
        }
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).tensor(out).tensor(x).i32(rows).i32(n).i32(log ? 1 : 0);
            cuda.launch(Kernel.SOFTMAX_ROWS, LaunchConfig.rows(rows, n, 0), a, (log ? "log_softmax" : "softmax")
                    + " x " + Shape.str(rows, n));
        }
        return out;
    }
}
