// Backward kernels composed from forward ops: the defaults of Backend's backward methods, any backend can run them.
package dev.jlens.tensor.backend;

import dev.jlens.tensor.Tensor;

/**
 * The layer-norm, gelu_new and causal-attention backwards written with tensor ops, which dispatch to the current
 * backend. Shapes: B batch, Pq/Pk query/key positions, H heads, E d_head, D the normalized dim.
 */
final class ComposedBackward {
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_A = 0.044715f;

    private ComposedBackward() {}

    /** gx = (gxhat - mean(gxhat) - xhat mean(gxhat xhat)) / sigma, gxhat = g w, over the last dim of x [..., D]. */
    static Tensor layerNorm(Tensor x, Tensor w, float eps, Tensor g) {
        Tensor centred = x.sub(x.reduce(ReduceOp.MEAN, -1, true));
        Tensor sigma = centred.mul(centred).reduce(ReduceOp.MEAN, -1, true).add(Tensor.scalar(eps)).sqrt();
        Tensor xhat = centred.div(sigma);
        Tensor gxhat = w == null ? g : g.mul(w);
        Tensor meanG = gxhat.reduce(ReduceOp.MEAN, -1, true);
        Tensor meanGx = gxhat.mul(xhat).reduce(ReduceOp.MEAN, -1, true);
        return gxhat.sub(meanG).sub(xhat.mul(meanGx)).div(sigma);
    }

    /** g * (0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)), t = tanh(c (x + a x^3)). */
    static Tensor geluNew(Tensor x, Tensor g) {
        Tensor x2 = x.mul(x);
        Tensor t = x2.mul(x).scale(GELU_A).add(x).scale(GELU_C).tanh();
        Tensor one = Tensor.scalar(1f);
        Tensor du = x2.scale(3 * GELU_A).add(one).scale(GELU_C);      // du/dx
        Tensor sech2 = one.sub(t.mul(t));                             // 1 - t^2
        return g.mul(t.add(one).scale(0.5f).add(x.mul(sech2).mul(du).scale(0.5f)));
    }

    /** {gq, gk, gv} of causal attention (see {@link Backend#causalAttentionBackward}), recomputing the pattern. */
    static Tensor[] causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale, Tensor gz) {
        Tensor qh = q.permute(0, 2, 1, 3);   // [B, H, Pq, E]
        Tensor kh = k.permute(0, 2, 1, 3);   // [B, H, Pk, E]
        Tensor vh = v.permute(0, 2, 1, 3);   // [B, H, Pk, E]
        Tensor gzh = gz.permute(0, 2, 1, 3); // [B, H, Pq, E]
        Tensor p = Backends.current().attentionScores(q, k, keyMask, scale).softmax(-1); // [B, H, Pq, Pk]
        Tensor gv = p.transpose(2, 3).matmul(gzh);     // [B, H, Pk, E]
        Tensor gp = gzh.matmul(vh.transpose(2, 3));    // [B, H, Pq, Pk]
        Tensor gs = p.mul(gp.sub(gp.mul(p).reduce(ReduceOp.SUM, -1, true))).scale(scale);
        Tensor gq = gs.matmul(kh);                     // [B, H, Pq, E]
        Tensor gk = gs.transpose(2, 3).matmul(qh);     // [B, H, Pk, E]
        return new Tensor[] {gq.permute(0, 2, 1, 3), gk.permute(0, 2, 1, 3), gv.permute(0, 2, 1, 3)};
    }
}
