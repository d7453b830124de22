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
     * Layer norm over the last dim D: normalized * w + b (w and b [D] or null, LNPre: no affine), with
     * normalized = {@link #layerNormNormalize}(x, {@link #layerNormScale}(x, eps)), the affine a float multiply then a
     * float add: bit for bit the composition of those two ops and {@link #binary} MUL and ADD, so that a run observing
     * TL's hook_scale and hook_normalized computes the same bits as one that does not.
     */
    Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps);

    /** TL's hook_scale: sqrt(mean((x - mean(x))^2) + eps) over the last dim of x [..., D]; returns [..., 1]. */
    Tensor layerNormScale(Tensor x, float eps);

    /**
     * TL's hook_normalized: (x - mean(x)) / scale over the last dim of x [..., D], scale [..., 1] (usually
     * {@link #layerNormScale}, or what a hook replaced it with); returns [..., D].
     */
    Tensor layerNormNormalize(Tensor x, Tensor scale);

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
     * {@link #prepareWeight} of the [K, N1 + N2 + ...] weight whose columns are those of {@code blocks} ([K, Ni]
     * each, any strides) side by side, e.g. a fused QKV weight from each head's slice of W_Q, W_K and W_V. A backend
     * that packs reads the blocks in place; this default prepares their concatenation.
     */
    default Tensor prepareColumns(Tensor... blocks) {
        return prepareWeight(Tensor.cat(1, blocks));
    }

    /**
     * {@link #prepareWeight} of a [K, N] weight made chunk by chunk, left to right (e.g. processed as it is packed), so
     * that it never exists whole outside its prepared form. This default asks for all N columns at once.
     */
    default Tensor prepareWeight(int k, int n, ColumnChunks chunks) {
        return prepareWeight(chunks.columns(0, n));
    }

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
     * with no visible key gets z = 0. Bit for bit {@link #attentionMix}({@link #softmax}({@link #attentionScores}),
     * v), so that a run observing TL's hook_attn_scores and hook_pattern computes the same bits as one that does not.
     */
    Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale);

    /**
     * TL's hook_attn_scores: scores [B, H, Pq, Pk] = scale * q.k for the keys {@link #causalAttention} lets query i
     * see, -inf for the others (later keys, keyMask zeros); q [B, Pq, H, E], k [B, Pk, H, E]. This and
     * causalAttention are the only places of a backend that say which keys are visible.
     */
    Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale);

    /**
     * TL's z = pattern . v: z[b,i,h] = sum_j pattern[b,h,i,j] v[b,j,h] over every key j (pattern [B, H, Pq, Pk],
     * v [B, Pk, H, E]; terms whose weight is exactly 0 are skipped); returns [B, Pq, H, E].
     */
    Tensor attentionMix(Tensor pattern, Tensor v);

    /** out[...i_dim...] = a[...index[...]...]: torch.gather along {@code dim}; index has a's rank. */
    Tensor gather(Tensor a, int dim, Tensor index);

    /** Entries {@code index} of a along {@code dim} (torch.index_select); also the embedding lookup. */
    Tensor indexSelect(Tensor a, int dim, int[] index);

    /** The k largest entries along {@code dim}, in descending order; ties keep the lower index first. */
    TopK topk(Tensor a, int k, int dim);

    /**
     * True when this backend is a decorator that runs every op on {@code other} (the gradient tape's recorder), so
     * {@link Backends#use(Backend)} with {@code other} keeps it in place.
     */
    default boolean decorates(Backend other) {
        return false;
    }

    // ---- backward kernels (reverse-mode gradients); called with this backend current (Backends.use) ----

    /**
     * The matmul backward for the left operand: g [..., M, N] times w^T, where w [K, N] is a 2-D weight, possibly
     * prepared by {@link #prepareWeight}; returns [..., M, K]. The default multiplies by the transposed view.
     */
    default Tensor matmulTransposed(Tensor g, Tensor w) {
        return matmul(g, w.transpose(0, 1));
    }

    /**
     * The layer-norm backward for x [..., D] given the output gradient g [..., D] (w [D] or null, as in
     * {@link #layerNorm}): with xhat = (x - mean) / sigma, gx = (gxhat - mean(gxhat) - xhat mean(gxhat xhat)) / sigma
     * where gxhat = g w. The default composes it from this backend's ops.
     */
    default Tensor layerNormBackward(Tensor x, Tensor w, float eps, Tensor g) {
        return ComposedBackward.layerNorm(x, w, eps, g);
    }

    /** g * gelu_new'(x), same shapes: the gelu_new backward. The default composes it from this backend's ops. */
    default Tensor geluNewBackward(Tensor x, Tensor g) {
        return ComposedBackward.geluNew(x, g);
    }

    /**
     * The {@link #causalAttention} backward: given gz [B, Pq, H, E], returns {gq, gk, gv} shaped like q, k, v, with
     * p = softmax(scale q.k) over the visible keys: gv = p^T gz, gp = gz v^T, gs = p (gp - sum_j p gp),
     * gq = scale gs k, gk = scale gs^T q. The default recomputes p with this backend's matmul and softmax.
     */
    default Tensor[] causalAttentionBackward(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale, Tensor gz) {
        return ComposedBackward.causalAttention(q, k, v, keyMask, scale, gz);
    }
}
