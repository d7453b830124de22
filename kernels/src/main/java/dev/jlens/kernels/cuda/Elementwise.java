// Launcher for elementwise.cu: strided copy and fill, binary ops, unary ops (exp, log, tanh, sqrt, gelu_new, scale).
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.UnaryOp;
import java.lang.foreign.Arena;

/**
 * Elementwise kernels over device views of any strides (rank at most 8). Output tensors of binary and unary are
 * new contiguous device tensors of the inputs' shape. The op codes are those documented in elementwise.cu.
 */
final class Elementwise {
    /** unary_strided's code for alpha * x. */
    private static final int SCALE = 5;

    private Elementwise() {}

    /** dst[i] = src[i]; both device views of one shape, dst without broadcast dims. */
    static void copy(CudaContext cuda, Tensor dst, Tensor src) {
        launch(cuda, Kernel.COPY_STRIDED, dst.numel(), "dst " + Shape.str(dst.shape()), a -> a.strided(dst)
                .strided(src).i64(dst.numel()));
    }

    /** dst[i] = value. */
    static void fill(CudaContext cuda, Tensor dst, float value) {
        launch(cuda, Kernel.FILL_STRIDED, dst.numel(), "dst " + Shape.str(dst.shape()), a -> a.strided(dst).f32(value)
                .i64(dst.numel()));
    }

    /** out = a (op) b; a and b device views of one shape. */
    static Tensor binary(CudaContext cuda, BinaryOp op, Tensor a, Tensor b) {
        Tensor out = DeviceTensors.empty(cuda, a.shape());
        int code = switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
        };
        launch(cuda, Kernel.BINARY_STRIDED, out.numel(), op + " " + Shape.str(a.shape()), args -> args.tensor(out)
                .strided(a).strided(b).i32(code).i64(out.numel()));
        return out;
    }

    /** out = f(a). */
    static Tensor unary(CudaContext cuda, UnaryOp op, Tensor a) {
        int code = switch (op) {
            case EXP -> 0;
            case LOG -> 1;
            case TANH -> 2;
            case SQRT -> 3;
            case GELU_NEW -> 4;
        };
        return unary(cuda, code, 0f, a, op.toString());
    }

    /** out = alpha * a. */
    static Tensor scale(CudaContext cuda, Tensor a, float alpha) {
        return unary(cuda, SCALE, alpha, a, "scale " + alpha);
    }

    private static Tensor unary(CudaContext cuda, int code, float alpha, Tensor a, String what) {
        Tensor out = DeviceTensors.empty(cuda, a.shape());
        launch(cuda, Kernel.UNARY_STRIDED, out.numel(), what + " " + Shape.str(a.shape()), args -> args.tensor(out)
                .strided(a).i32(code).f32(alpha).i64(out.numel()));
        return out;
    }

    private interface Args {
        void add(KernelArgs args);
    }

    private static void launch(CudaContext cuda, Kernel kernel, long n, String shapes, Args args) {
        if (n == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena);
            args.add(a);
            cuda.launch(kernel, LaunchConfig.elementwise(n), a, shapes);
        }
    }
}
