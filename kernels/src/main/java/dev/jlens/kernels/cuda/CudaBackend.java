// The CUDA backend: device-resident tensors, our kernels (kernels/src/main/cuda) and cuBLAS GEMMs, via the driver API.
package dev.jlens.kernels.cuda;

import dev.jlens.kernels.cpu.CpuBackend;
import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.backend.UnaryOp;
import java.util.SequencedMap;

/**
 * Runs tensor ops on an NVIDIA GPU. Ops accept host or device inputs (host views are uploaded as the span they
 * reach) and return contiguous device tensors; {@code toArray()}, {@code get()} and hooks that read values
 * download them. Weights passed through {@link #prepareWeight} are uploaded once and stay resident.
 *
 * <p>Explicit host fallbacks: argmax, topk and gather (rare, small outputs, used on logits by analysis code), and
 * indexSelect of a host tensor or along a dim other than 0 (the embedding lookup of a host-resident W_E gathers
 * P rows on the host instead of uploading the whole table); they download their input, run on the CPU backend and
 * return host tensors.
 *
 * <p>Chosen automatically (priority 100, above cpu) when {@link Cuda#available()}; otherwise
 * {@link #unavailableReason()} says why and the registry falls back to the CPU.
 */
public final class CudaBackend implements Backend {
    private static final Backend HOST = new CpuBackend().unavailableReason() == null ? new CpuBackend()
            : new ScalarBackend();

    private final CudaContext fixed; // null: the process-wide device of Cuda.context()

    /** The backend on the process-wide CUDA device (what ServiceLoader creates). */
    public CudaBackend() {
        this(null);
    }

    /** The backend on {@code context} (tests run it on a simulated device). */
    CudaBackend(CudaContext context) {
        this.fixed = context;
    }

    private CudaContext context() {
        return fixed != null ? fixed : Cuda.context();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public String unavailableReason() {
        return fixed != null ? null : Cuda.unavailableReason();
    }

    @Override
    public String describe() {
        return "cuda (" + context().describe() + "; host fallback " + HOST.name() + ")";
    }

    /** The settings of the host fallback, which runs argmax, topk, gather and host index_select. */
    @Override
    public SequencedMap<String, String> settings() {
        return HOST.settings();
    }

    @Override
    public Tensor zeros(int... shape) {
        CudaContext cuda = context();
        Tensor t = DeviceTensors.empty(cuda, shape);
        cuda.memset32(DeviceTensors.address(t), 0, Math.max(1, t.numel()));
        return t;
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        if (!DeviceTensors.onDevice(dst)) {
            HOST.copy(dst, src.toHost());
            return;
        }
        CudaContext cuda = context();
        Elementwise.copy(cuda, dst, DeviceTensors.onDevice(cuda, src));
    }

    @Override
    public void fill(Tensor dst, float value) {
        if (!DeviceTensors.onDevice(dst)) {
            HOST.fill(dst, value);
            return;
        }
        Elementwise.fill(context(), dst, value);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        CudaContext cuda = context();
        return Elementwise.binary(cuda, op, DeviceTensors.onDevice(cuda, a), DeviceTensors.onDevice(cuda, b));
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a) {
        CudaContext cuda = context();
        return Elementwise.unary(cuda, op, DeviceTensors.onDevice(cuda, a));
    }

    @Override
    public Tensor scale(Tensor a, float alpha) {
        CudaContext cuda = context();
        return Elementwise.scale(cuda, DeviceTensors.onDevice(cuda, a), alpha);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim, boolean keepDim) {
        CudaContext cuda = context();
        int n = a.size(dim);
        Tensor out = Reductions.reduceRows(cuda, op, DeviceTensors.rowsAlong(cuda, a, dim), a.numel() / n, n);
        return out.reshape(Shape.reduced(a.shape(), dim, keepDim));
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepDim) {
        return HOST.argmax(a.toHost(), dim, keepDim);
    }

    @Override
    public Tensor softmax(Tensor a, int dim) {
        return softmax(a, dim, false);
    }

    @Override
    public Tensor logSoftmax(Tensor a, int dim) {
        return softmax(a, dim, true);
    }

    private Tensor softmax(Tensor a, int dim, boolean log) {
        CudaContext cuda = context();
        int n = a.size(dim);
        Tensor rows = DeviceTensors.rowsAlong(cuda, a, dim);
        Tensor out = Softmax.rows(cuda, rows, n == 0 ? 0 : a.numel() / n, n, log);
        return DeviceTensors.dense(cuda, out.reshape(rows.shape()).movedim(-1, dim));
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        CudaContext cuda = context();
        int d = x.size(-1);
        Tensor out = LayerNorm.rows(cuda, DeviceTensors.dense(cuda, x), w == null ? null : DeviceTensors.dense(cuda, w),
                b == null ? null : DeviceTensors.dense(cuda, b), d == 0 ? 0 : x.numel() / d, d, eps);
        return out.reshape(x.shape());
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return Gemm.matmul(context(), a, b);
    }

    @Override
    public Tensor prepareWeight(Tensor w) {
        return DeviceTensors.dense(context(), w); // the device copy is the weight: no host copy is kept
    }

    @Override
    public Tensor resident(Tensor t) {
        return DeviceTensors.onDevice(context(), t); // uploaded once, kept on the device
    }

    @Override
    public Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        CudaContext cuda = context();
        return Attention.causal(cuda, DeviceTensors.dense(cuda, q), DeviceTensors.dense(cuda, k),
                DeviceTensors.dense(cuda, v), keyMask == null ? null : DeviceTensors.dense(cuda, keyMask), scale);
    }

    // The hooked halves of attention and layer norm run on the host (CpuBackend) for now: correct, but neither as
    // fast as the device kernels nor bit-identical to the fused causalAttention / layerNorm kernels above.
    @Override
    public Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale) {
        return HOST.attentionScores(q.toHost(), k.toHost(), keyMask == null ? null : keyMask.toHost(), scale);
    }

    @Override
    public Tensor attentionMix(Tensor pattern, Tensor v) {
        return HOST.attentionMix(pattern.toHost(), v.toHost());
    }

    @Override
    public Tensor layerNormScale(Tensor x, float eps) {
        return HOST.layerNormScale(x.toHost(), eps);
    }

    @Override
    public Tensor layerNormNormalize(Tensor x, Tensor scale) {
        return HOST.layerNormNormalize(x.toHost(), scale.toHost());
    }

    @Override
    public Tensor gather(Tensor a, int dim, Tensor index) {
        return HOST.gather(a.toHost(), dim, index.toHost());
    }

    @Override
    public Tensor indexSelect(Tensor a, int dim, int[] index) {
        if (dim != 0 || !DeviceTensors.onDevice(a) || a.size(0) == 0) {
            return HOST.indexSelect(a.toHost(), dim, index);
        }
        CudaContext cuda = context();
        int rowLength = a.numel() / a.size(0);
        Tensor table = DeviceTensors.dense(cuda, a);
        int[] shape = a.shape();
        shape[0] = index.length;
        return Embedding.gatherRows(cuda, table, index, rowLength).reshape(shape);
    }

    @Override
    public TopK topk(Tensor a, int k, int dim) {
        return HOST.topk(a.toHost(), k, dim);
    }

    @Override
    public String toString() {
        return name();
    }
}
