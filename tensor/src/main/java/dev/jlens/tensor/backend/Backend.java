// The Backend SPI: allocation, copies and the ~20 ops every tensor op dispatches to (scalar, cpu, cuda).
package dev.jlens.tensor.backend;

import dev.jlens.tensor.Tensor;
import java.util.SequencedMap;
import java.util.LinkedHashMap;

/**
 * A compute backend, discovered through {@link java.util.ServiceLoader} and chosen by {@link Backends}.
 *
 * <p>Contract: {@link Tensor} validates every argument (shapes, dims, index ranges) and normalizes dims to
 * {@code [0, rank)} before calling a backend, so implementations check nothing of the caller's; inputs may be
 * any strided view (including broadcast dims of stride 0) and are never written; every op returns a new,
 * contiguous tensor unless it says otherwise. Index outputs (argmax, topk) hold exact integers as floats.
 * Shapes in comments use B batch, P pos, H heads, E d_head, D model, M/K/N matmul sizes.
 */
public interface Backend {
    /** Short name used by {@code -Djlens.backend}: "scalar", "cpu", "cuda". */
    String name();

    /** Higher wins when no backend is forced. */
    int priority();

    /** Null when the backend can run here, otherwise why not (shown in the log line). */
    String unavailableReason();

    /** One line for the log: name and configuration (vector width, threads, device). */
    String describe();

    /**
     * The CPU settings this backend runs with, as label -> value in display order ("vector width", "worker
     * threads"), for {@code ./jlens selfcheck}; empty when it has none to report.
     */
    default SequencedMap<String, String> settings() {
        return new LinkedHashMap<>();
    }

    /** A new zero-filled tensor. */
    Tensor zeros(int... shape);

    /** dst[i] = src[i] elementwise; same shapes; dst is a writable view without broadcast dims. */
    void copy(Tensor dst, Tensor src);

    /** dst[i] = value. */
    void fill(Tensor dst, float value);

    /** out = a (op) b elementwise; same shapes (broadcasting already expanded as stride-0 dims). */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** out = f(a) elementwise. */
    Tensor unary(UnaryOp op, Tensor a);

    /** out = alpha * a. */
    Tensor scale(Tensor a, float alpha);

    /** Reduction along {@code dim}; the dim is kept with size 1 when {@code keepDim}. */
    Tensor reduce(ReduceOp op, Tensor a, int dim, boolean keepDim);

    /** Index of the first maximum along {@code dim}. */
    Tensor argmax(Tensor a, int dim, boolean keepDim);

    /**
     * softmax along {@code dim}: exp(a - max) / sum(exp(a - max)); a row that is entirely -inf (fully masked)
     * gives 0 everywhere, as TransformerLens' attention pattern.
     */
    Tensor softmax(Tensor a, int dim);

    /** log_softmax along {@code dim}: a - max - log(sum(exp(a - max))); a fully -inf row stays -inf. */
    Tensor logSoftmax(Tensor a, int dim);

    /**
     * Layer norm over the last dim D: (x - mean) / sqrt(var + eps) * w + b, var biased; w and b are [D] or null
     * (LNPre: no affine).
     */
    Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps);

    /**
     * Matrix product: a [..., M, K] times b [K, N] (one weight shared by every batch entry) or b [..., K, N] with
     * the same batch dims as a; returns [..., M, N].
     */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * Marks a 2-D weight [K, N] as constant for its lifetime so the backend may keep a prepared copy (packed
     * panels, device memory). Returns a tensor with the same shape and values to pass to {@link #matmul}.
     */
    Tensor prepareWeight(Tensor w);

    /**
     * The [N, K] transpose of a weight prepared by {@link #prepareWeight} ([K, N]) when this backend gathers its rows
     * ({@link #indexSelect} along dim 0) straight from the prepared form, so a tied embedding (W_E = W_U^T) needs no
     * copy of its own; null when it cannot (the caller then keeps a separate table).
     */
    default Tensor transposeForGather(Tensor prepared) {
        return null;
    }

    /**
     * A tensor the model keeps for its lifetime (embedding table, bias, LayerNorm weight) in the memory this
     * backend's ops read without a transfer: device memory for a device backend; the CPU backends return t.
     */
    default Tensor resident(Tensor t) {
        return t;
    }

    /**
     * Causal attention, all heads: q [B, Pq, H, E], k and v [B, Pk, H, E] with Pq &lt;= Pk, query i sitting at
     * absolute position Pk - Pq + i; z[b,i,h] = sum_j softmax_j(scale * q.k_j) v_j over keys j &lt;= that position
     * whose {@code keyMask} [B, Pk] entry is non-zero (keyMask may be null). Returns z [B, Pq, H, E]. A query
     * with no visible key gets z = 0.
     */
    Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale);

    /** out[...i_dim...] = a[...index[...]...]: torch.gather along {@code dim}; index has a's rank. */
    Tensor gather(Tensor a, int dim, Tensor index);

    /** Entries {@code index} of a along {@code dim} (torch.index_select); also the embedding lookup. */
    Tensor indexSelect(Tensor a, int dim, int[] index);

    /** The k largest entries along {@code dim}, in descending order; ties keep the lower index first. */
    TopK topk(Tensor a, int k, int dim);
}
