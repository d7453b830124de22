// Launcher for layernorm.cu: layer norm over the last dim D of contiguous rows, optional affine w and b.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;

/** out[r, :] = (x[r, :] - mean) / sqrt(var + eps) * w + b; x, out [R, D]; w, b [D] or null (LNPre). */
final class LayerNorm {
    private LayerNorm() {}

    static Tensor rows(CudaContext cuda, Tensor x, Tensor w, Tensor b, int rows, int d, float eps) {
        Tensor out = DeviceTensors.empty(cuda, rows, d);
        if (rows == 0 || d == 0) {
            return out;
        }
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).tensor(out).tensor(x).tensor(w).tensor(b).i32(rows).i32(d).f32(eps);
            cuda.launch(Kernel.LAYERNORM_ROWS, LaunchConfig.rows(rows, d, 0), a, "x " + Shape.str(rows, d)
                    + (w == null ? " (no affine)" : " w, b [" + d + "]"));
        }
        return out;
    }
}
