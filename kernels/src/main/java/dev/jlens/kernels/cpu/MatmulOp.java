// Tensor-level matmul on the CPU: one GEMM for [..., M, K]·[K, N], or one GEMM per batch entry in parallel.
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.HeapStorage;

/**
 * Maps {@code Backend.matmul} onto {@link Matmul}. A shared 2-D weight folds every leading dim of a into M, so
 * x [B, P, D]·W [D, N] is one GEMM with M = B*P; a prepared weight uses its packed panels. Batched operands
 * run one GEMM per batch entry across {@link CpuThreads}, reading b through its strides (no copy for a
 * transposed k in q·k^T, none for a broadcast batch dim).
 */
final class MatmulOp {
    private MatmulOp() {}

    static Tensor matmul(Tensor a, Tensor b) {
        int k = a.size(-1);
        int m = a.size(-2);
        int n = b.size(-1);
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = n;
        float[] out = new float[Shape.numel(outShape)]; // [..., M, N]
        if (k == 0 || out.length == 0) {
            return Tensor.of(out, outShape); // an empty sum is 0
        }
        Tensor x = Layouts.dense(a); // [..., M, K]
        int rows = x.numel() / k;
        if (b.rank() == 2) {
            if (b.storage() instanceof PackedMatrix packed && isPanelWindow(b, packed)) {
                Matmul.multiply(out, 0, n, x.heapArray(), x.offset(), k, packed, rows, b.offset(), n);
            } else {
                Tensor w = onHeap(b);
                Matmul.multiply(out, 0, n, x.heapArray(), x.offset(), k, w.heapArray(), w.offset(), w.stride(0),
                        w.stride(1), rows, n, k);
            }
            return Tensor.of(out, outShape);
        }
        Tensor y = onHeap(b); // [..., K, N], batch dims equal to a's (possibly stride 0)
        int batches = rows / m;
        int[] batchShape = java.util.Arrays.copyOf(y.shape(), y.rank() - 2);
        CpuThreads.parallelFor(batches, i -> Matmul.multiply(out, i * m * n, n, x.heapArray(), x.offset() + i * m * k,
                k, y.heapArray(), y.offset() + batchOffset(y, batchShape, i), y.stride(-2), y.stride(-1), m, n, k));
        return Tensor.of(out, outShape);
    }

    /** True when b is its packed storage's own matrix (not a slice or transpose of it). */
    static boolean isWhole(Tensor b, PackedMatrix packed) {
        return b.offset() == 0 && b.size(0) == packed.k() && b.size(1) == packed.n() && b.stride(1) == 1
                && b.stride(0) == packed.n();
    }

    /** True when b is a window of whole panels of its packed storage's columns (all rows, row-major). */
    static boolean isPanelWindow(Tensor b, PackedMatrix packed) {
        return b.size(0) == packed.k() && b.stride(1) == 1 && b.stride(0) == packed.n() && b.offset() < packed.n()
                && Matmul.isPanelWindow(packed, b.offset(), b.size(1));
    }

    /** Storage index of batch entry {@code index} (row-major over {@code batchShape}) of t. */
    private static int batchOffset(Tensor t, int[] batchShape, int index) {
        int offset = 0;
        for (int d = batchShape.length - 1; d >= 0; d--) {
            offset += (index % batchShape[d]) * t.stride(d);
            index /= batchShape[d];
        }
        return offset;
    }

    private static Tensor onHeap(Tensor t) {
        return t.storage() instanceof HeapStorage ? t : Layouts.dense(t);
    }
}
