// matmul on the device: a [..., M, K] times a 2-D weight (one cublasSgemm) or batched b (cublasSgemmStridedBatched).
package dev.jlens.kernels.cuda;

import dev.jlens.kernels.cuda.GemmArgs.Operand;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.lang.ref.Reference;

/**
 * The Backend.matmul contract on cuBLAS. A 2-D right operand is used in place when its rows or columns are
 * contiguous (a transposed view becomes CUBLAS_OP_T instead of a copy); a prepared weight's device copy is used
 * when present. Batched operands (batch dims already broadcast by Tensor) are made contiguous first.
 */
final class Gemm {
    private Gemm() {}

    static Tensor matmul(CudaContext cuda, Tensor a, Tensor b) {
        int k = a.size(-1);
        int n = b.size(-1);
        int m = a.size(-2);
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = n;
        if (Shape.numel(outShape) == 0 || k == 0) {
            Tensor out = DeviceTensors.empty(cuda, outShape);
            cuda.memset32(DeviceTensors.address(out), 0, Math.max(1, out.numel()));
            return out;
        }
        int rows = a.numel() / k; // M times the batch dims of a
        Tensor x = DeviceTensors.dense(cuda, a);
        Tensor out = DeviceTensors.empty(cuda, outShape);
        String shapes = Shape.str(a.shape()) + " x " + Shape.str(b.shape());
        Tensor y;
        GemmArgs g;
        if (b.rank() == 2) {
            Tensor w = DeviceTensors.onDevice(cuda, b); // a prepared weight is already there
            y = rowsOrColumnsContiguous(w) ? w : DeviceTensors.dense(cuda, w);
            boolean transposed = y.stride(1) != 1;
            g = GemmArgs.rowMajor(rows, n, k, new Operand(DeviceTensors.address(x), false, k, 0),
                    new Operand(DeviceTensors.address(y), transposed, y.stride(transposed ? 1 : 0), 0),
                    new Operand(DeviceTensors.address(out), false, n, 0), 1);
        } else {
            y = DeviceTensors.dense(cuda, b);
            g = GemmArgs.rowMajor(m, n, k, new Operand(DeviceTensors.address(x), false, k, (long) m * k),
                    new Operand(DeviceTensors.address(y), false, n, (long) k * n),
                    new Operand(DeviceTensors.address(out), false, n, (long) m * n), a.numel() / (m * k));
        }
        cuda.gemm(g, shapes);
        Reference.reachabilityFence(x); // their buffers' frees must queue after the GEMM
        Reference.reachabilityFence(y);
        return out;
    }

    /** True when a 2-D [K, N] matrix can be read in place: rows contiguous (CUBLAS_OP_N) or columns (OP_T). */
    private static boolean rowsOrColumnsContiguous(Tensor w) {
        return w.stride(1) == 1 && w.stride(0) >= Math.max(1, w.size(1))
                || w.stride(0) == 1 && w.stride(1) >= Math.max(1, w.size(0)) && w.stride(1) != 1;
    }
}
