// TL Attention for GPT-2: q/k/v per head, causal scores and pattern, z, and the output projection.
package dev.jlens.model.components;

import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookedModule;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import java.util.ArrayList;
import java.util.List;

/**
 * q = x W_Q + b_Q, k, v likewise [batch, pos, head_index, d_head]; scores = q.k / sqrt(d_head), causally masked
 * with -inf [batch, head_index, query_pos, key_pos]; pattern = softmax(scores); z = pattern.v; out = z W_O + b_O.
 * When q, k and v read one input, one GEMM against the packed [d_model, 3 n_heads d_head] matrix makes all three.
 * Without hooks on scores or pattern, one fused kernel replaces scores, softmax and mix, with the same bits.
 * Mirrors TL components/abstract_attention.py.
 */
public final class Attention implements HookedModule {
    private final HookPoint hookK = new HookPoint();          // [batch, pos, head_index, d_head]
    private final HookPoint hookQ = new HookPoint();          // [batch, pos, head_index, d_head]
    private final HookPoint hookV = new HookPoint();          // [batch, pos, head_index, d_head]
    private final HookPoint hookZ = new HookPoint();          // [batch, pos, head_index, d_head]
    private final HookPoint hookAttnScores = new HookPoint(); // [batch, head_index, query_pos, key_pos]
    private final HookPoint hookPattern = new HookPoint();    // [batch, head_index, query_pos, key_pos]
    private final HookPoint hookResult = new HookPoint();     // [batch, pos, head_index, d_model]
    private final int nHeads;
    private final int dHead;
    private final boolean useAttnResult;
    private final Tensor wQkv;   // [d_model, 3 * n_heads * d_head], prepared; columns: q heads, k heads, v heads
    private final Tensor bQkv;   // [3 * n_heads * d_head]
    private final Tensor[] wHeads; // W_Q, W_K, W_V: [n_heads, d_model, d_head], views of wQkv
    private final Tensor[] bHeads; // b_Q, b_K, b_V: [n_heads, d_head]
    private final Tensor wO;     // [n_heads, d_head, d_model]: a view of wOFlat, or with use_attn_result a heap copy
    private final Tensor wOFlat; // [n_heads * d_head, d_model], prepared; null with use_attn_result
    private final Tensor bO;     // [d_model]

    /** Attention from TL-shaped weights; {@code useAttnResult} makes hook_result fire. */
    public Attention(Tensor wQ, Tensor wK, Tensor wV, Tensor bQ, Tensor bK, Tensor bV, Tensor wO, Tensor bO,
            boolean useAttnResult) {
        this.nHeads = wQ.size(0);
        this.dHead = wQ.size(2);
        this.useAttnResult = useAttnResult;
        this.bHeads = new Tensor[] {bQ, bK, bV};
        int dModel = wQ.size(1);
        int width = nHeads * dHead;
        this.wQkv = Backends.current().prepareColumns(headColumns(wQ, wK, wV)); // packed from the weights in place
        this.wHeads = new Tensor[3];
        for (int i = 0; i < 3; i++) { // [d_model, n_heads * d_head] -> [n_heads, d_model, d_head], no copy
            wHeads[i] = wQkv.narrow(1, i * width, width).reshape(dModel, nHeads, dHead).permute(1, 0, 2);
        }
        this.bQkv = Tensor.cat(0, bQ.reshape(-1), bK.reshape(-1), bV.reshape(-1));
        // use_attn_result multiplies head by head (output()), reading W_O [h] as a plain matrix: keep only that form
        this.wOFlat = useAttnResult ? null : Backends.current().prepareWeight(wO.reshape(width, dModel));
        this.wO = useAttnResult ? wO.contiguous() : wOFlat.reshape(nHeads, dHead, dModel);
        this.bO = bO;
    }

    /** W_Q [n_heads, d_model, d_head]: a read-only view of the prepared weight. */
    public Tensor wQ() {
        return wHeads[0];
    }

    /** W_K [n_heads, d_model, d_head]: a read-only view of the prepared weight. */
    public Tensor wK() {
        return wHeads[1];
    }

    /** W_V [n_heads, d_model, d_head]: a read-only view of the prepared weight. */
    public Tensor wV() {
        return wHeads[2];
    }

    /** W_O [n_heads, d_head, d_model]: a read-only view of the prepared weight. */
    public Tensor wO() {
        return wO;
    }

    /** b_Q, b_K, b_V ({@code which} 0, 1, 2): [n_heads, d_head]. */
    public Tensor bias(int which) {
        return bHeads[which];
    }

    /** b_O [d_model]. */
    public Tensor bO() {
        return bO;
    }

    /** The column blocks of [d_model, 3 n_heads d_head] from W_Q, W_K, W_V [n_heads, d_model, d_head]: each head's. */
    private static Tensor[] headColumns(Tensor... ws) {
        List<Tensor> blocks = new ArrayList<>();
        for (Tensor w : ws) {
            for (int h = 0; h < w.size(0); h++) {
                blocks.add(w.select(0, h)); // [d_model, d_head]
            }
        }
        return blocks.toArray(Tensor[]::new);
    }

    /**
     * Inputs are [batch, pos, d_model], or [batch, pos, head_index, d_model] when each head has its own input
     * (use_split_qkv_input); keyMask [batch, key_pos] marks real tokens (null: all real). Returns
     * [batch, pos, d_model].
     */
    public Tensor forward(Tensor qIn, Tensor kIn, Tensor vIn, Tensor keyMask) {
        return forward(qIn, kIn, vIn, keyMask, null);
    }

    /**
     * Attention resumed at position p0 (see {@link BlockSuffix}; null: the plain forward): inputs are
     * [batch, pos - p0, ...]; queries of the last {@code suffix.outputs()} positions attend to the cached keys and
     * values of [0, p0) and the new ones. hook_q, hook_k and hook_v see positions p0..; hook_z and hook_result
     * the output positions; hook_attn_scores and hook_pattern [batch, head_index, outputs, pos]. keyMask, when
     * given, covers all pos keys. Returns [batch, outputs, d_model].
     */
    public Tensor forward(Tensor qIn, Tensor kIn, Tensor vIn, Tensor keyMask, BlockSuffix suffix) {
        Tensor q;
        Tensor k;
        Tensor v;
        if (qIn == kIn && kIn == vIn && qIn.rank() == 3) {
            Tensor qkv = qIn.matmul(wQkv).add(bQkv).reshape(qIn.size(0), qIn.size(1), 3, nHeads, dHead);
            q = qkv.select(2, 0);
            k = qkv.select(2, 1);
            v = qkv.select(2, 2);
        } else {
            q = project(qIn, 0);
            k = project(kIn, 1);
            v = project(vIn, 2);
        }
        q = hookQ.forward(q);
        k = hookK.forward(k);
        v = hookV.forward(v);
        if (suffix != null) {
            q = q.narrow(1, q.size(1) - suffix.outputs(), suffix.outputs()); // [batch, outputs, head_index, d_head]
            Tensor[] kv = suffix.withPast(k, v); // [batch, pos, head_index, d_head] each
            k = kv[0];
            v = kv[1];
        }
        return output(mix(q, k, v, keyMask));
    }

    /**
     * The attention output from z [batch, pos, head_index, d_head] (hook_z fires on it, then hook_result when
     * use_attn_result): sum_h z[:, :, h] W_O[h] + b_O, [batch, pos, d_model]. The second half of {@link #forward}.
     */
    public Tensor output(Tensor zIn) {
        Tensor z = hookZ.forward(zIn);
        int batch = z.size(0);
        int pos = z.size(1);
        if (useAttnResult) {
            Tensor perHead = z.permute(2, 0, 1, 3).matmul(wO.unsqueeze(1)).permute(1, 2, 0, 3); // [b, p, h, d_model]
            return hookResult.forward(perHead).sum(2).add(bO);
        }
        return z.contiguous().reshape(batch, pos, nHeads * dHead).matmul(wOFlat).add(bO);
    }

    /** x W + b for projection {@code which} (0 q, 1 k, 2 v); x is [b, p, d_model] or [b, p, h, d_model]. */
    private Tensor project(Tensor x, int which) {
        if (x.rank() == 3) {
            int width = nHeads * dHead;
            Tensor w = wQkv.narrow(1, which * width, width); // [d_model, n_heads * d_head]
            return x.matmul(w).reshape(x.size(0), x.size(1), nHeads, dHead).add(bHeads[which]);
        }
        // per head: [h, b, p, d_model] . [h, 1, d_model, d_head] -> [h, b, p, d_head] -> [b, p, h, d_head]
        return x.permute(2, 0, 1, 3).matmul(wHeads[which].unsqueeze(1)).permute(1, 2, 0, 3).add(bHeads[which]);
    }

    /**
     * z [b, q_pos, h, d_head] from q, k, v: the fused kernel, or, when scores or pattern are hooked, its three steps
     * with the same arithmetic (scores, softmax, pattern . v), each reading what the previous hook returned, so
     * observing changes no bit and a replacement or in-place edit is what the next step reads, as in TL.
     */
    private Tensor mix(Tensor q, Tensor k, Tensor v, Tensor keyMask) {
        float scale = (float) (1 / Math.sqrt(dHead));
        if (!hookAttnScores.hasHooks() && !hookPattern.hasHooks()) {
            return Tensor.causalAttention(q, k, v, keyMask, scale);
        }
        Tensor scores = hookAttnScores.forward(Tensor.attentionScores(q, k, keyMask, scale)); // [b, h, q_pos, k_pos]
        Tensor pattern = hookPattern.forward(scores.softmax(-1));
        return Tensor.attentionMix(pattern, v);
    }
}
