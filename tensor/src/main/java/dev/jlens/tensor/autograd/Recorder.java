// The Backend a Tape makes current: runs every op on the real backend and records those that read marked values.
package dev.jlens.tensor.autograd;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ColumnChunks;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.backend.UnaryOp;

/**
 * A decorator of the model's backend. Each differentiable op whose input depends on a mark is recorded with its
 * backward (the local derivative as tensor ops, see {@link Derivatives}); argmax and topk are piecewise constant
 * and never recorded; allocation and weight preparation pass through.
 */
final class Recorder implements Backend {
    private final Backend d;
    private final Tape tape;

    Recorder(Backend delegate, Tape tape) {
        this.d = delegate;
        this.tape = tape;
    }

    private boolean any(Tensor... inputs) {
        if (!tape.recording()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && tape.tracked(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean decorates(Backend other) {
        return other == d;
    }

    @Override
    public String name() {
        return d.name();
    }

    @Override
    public int priority() {
        return d.priority();
    }

    @Override
    public String unavailableReason() {
        return d.unavailableReason();
    }

    @Override
    public String describe() {
        return d.describe() + " (recording for gradients)";
    }

    @Override
    public java.util.SequencedMap<String, String> settings() {
        return d.settings();
    }

    @Override
    public Tensor zeros(int... shape) {
        return d.zeros(shape);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        if (tape.recording()) {
            tape.checkWrite(dst);
        }
        boolean fromTracked = any(src);
        if (fromTracked || any(dst)) {
            tape.recordWrite(grads -> {
                Tensor g = grads.of(dst);
                Tensor moved = g == null ? null : g.copy(); // read before the region's gradient is cleared
                grads.zero(dst);
                if (moved != null && fromTracked) {
                    grads.add(src, moved);
                }
            });
            tape.track(dst);
        }
        d.copy(dst, src);
    }

    @Override
    public void fill(Tensor dst, float value) {
        if (tape.recording()) {
            tape.checkWrite(dst);
        }
        if (any(dst)) {
            tape.recordWrite(grads -> grads.zero(dst));
        }
        d.fill(dst, value);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = d.binary(op, a, b);
        if (any(a, b)) {
            boolean ta = tape.tracked(a);
            boolean tb = tape.tracked(b);
            tape.recordOp(out, (g, grads) -> Derivatives.binary(op, a, b, out, g, ta, tb, grads), a, b);
        }
        return out;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a) {
        Tensor out = d.unary(op, a);
        if (any(a)) {
            tape.recordOp(out, (g, grads) -> grads.add(a, Derivatives.unary(d, op, a, out, g)), a);
        }
        return out;
    }

    @Override
    public Tensor scale(Tensor a, float alpha) {
        Tensor out = d.scale(a, alpha);
        if (any(a)) {
            tape.recordOp(out, (g, grads) -> grads.add(a, g.scale(alpha)), a);
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim, boolean keepDim) {
        Tensor out = d.reduce(op, a, dim, keepDim);
        if (any(a)) {
            tape.recordOp(out, (g, grads) -> grads.add(a, Derivatives.reduce(d, op, a, dim, keepDim, out, g)), a);
        }
        return out;
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepDim) {
        return d.argmax(a, dim, keepDim);
    }

    @Override
    public Tensor softmax(Tensor a, int dim) {
        Tensor out = d.softmax(a, dim);
        if (any(a)) { // ga = p (g - sum(g p))
            tape.recordOp(out, (g, grads) -> grads.add(a, out.mul(g.sub(g.mul(out).reduce(ReduceOp.SUM, dim, true)))),
                    a);
        }
        return out;
    }

    @Override
    public Tensor logSoftmax(Tensor a, int dim) {
        Tensor out = d.logSoftmax(a, dim);
        if (any(a)) { // ga = g - softmax(a) sum(g)
            tape.recordOp(out, (g, grads) -> grads.add(a, g.sub(out.exp().mul(g.reduce(ReduceOp.SUM, dim, true)))),
                    a);
        }
        return out;
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        Tensor out = d.layerNorm(x, w, b, eps);
        if (any(x)) { // w and b are parameters: no gradient
            tape.recordOp(out, (g, grads) -> grads.add(x, d.layerNormBackward(x, w, eps, g)), x);
        }
        return out;
    }

    @Override
    public Tensor layerNormScale(Tensor x, float eps) {
        Tensor out = d.layerNormScale(x, eps);
        if (any(x)) { // s = sqrt(mean(c^2) + eps), c = x - mean(x): gx = g c / (D s)
            tape.recordOp(out, (g, grads) -> grads.add(x, x.sub(x.reduce(ReduceOp.MEAN, -1, true)).mul(g.div(out))
                    .scale(1f / x.size(-1))), x);
        }
        return out;
    }

    @Override
    public Tensor layerNormNormalize(Tensor x, Tensor scale) {
        Tensor out = d.layerNormNormalize(x, scale);
        if (any(x, scale)) { // n = c / s: gx = (g - mean(g)) / s, gs = -sum(g n) / s
            boolean tx = tape.tracked(x);
            boolean ts = tape.tracked(scale);
            tape.recordOp(out, (g, grads) -> {
                if (tx) {
                    grads.add(x, g.sub(g.reduce(ReduceOp.MEAN, -1, true)).div(scale));
                }
                if (ts) {
                    grads.add(scale, g.mul(out).reduce(ReduceOp.SUM, -1, true).div(scale).scale(-1));
                }
            }, x, scale);
        }
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        Tensor out = d.matmul(a, b);
        if (any(a, b)) {
            boolean ta = tape.tracked(a);
            boolean tb = tape.tracked(b);
            tape.recordOp(out, (g, grads) -> Derivatives.matmul(d, a, b, g, ta, tb, grads), a, b);
        }
        return out;
    }

    @Override
    public Tensor prepareWeight(Tensor w) {
        return d.prepareWeight(w);
    }

    @Override
    public Tensor prepareColumns(Tensor... blocks) {
        return d.prepareColumns(blocks);
    }

    @Override
    public Tensor prepareWeight(int k, int n, ColumnChunks chunks) {
        return d.prepareWeight(k, n, chunks);
    }

    @Override
    public Tensor transposeForGather(Tensor prepared) {
        return d.transposeForGather(prepared);
    }

    @Override
    public Tensor resident(Tensor t) {
        return d.resident(t);
    }

    @Override
    public Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        Tensor out = d.causalAttention(q, k, v, keyMask, scale);
        if (any(q, k, v)) {
            Tensor[] in = {q, k, v};
            boolean[] t = {tape.tracked(q), tape.tracked(k), tape.tracked(v)};
            tape.recordOp(out, (g, grads) -> {
                Tensor[] gIn = d.causalAttentionBackward(q, k, v, keyMask, scale, g);
                for (int i = 0; i < 3; i++) {
                    if (t[i]) {
                        grads.add(in[i], gIn[i]);
                    }
                }
            }, q, k, v);
        }
        return out;
    }

    @Override
    public Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale) {
        Tensor out = d.attentionScores(q, k, keyMask, scale);
        if (any(q, k)) { // s = scale q.k where visible: gq = scale gs k, gk = scale gs^T q, gs = g on visible keys
            boolean tq = tape.tracked(q);
            boolean tk = tape.tracked(k);
            tape.recordOp(out, (g, grads) -> {
                // exp of the scores of zero q and k: 1 where a key is visible, 0 where it is -inf
                Tensor visible = d.attentionScores(d.zeros(q.shape()), d.zeros(k.shape()), keyMask, 1f).exp();
                Tensor gs = g.mul(visible).scale(scale); // [B, H, Pq, Pk]
                if (tq) {
                    grads.add(q, gs.matmul(k.permute(0, 2, 1, 3)).permute(0, 2, 1, 3));
                }
                if (tk) {
                    grads.add(k, gs.transpose(2, 3).matmul(q.permute(0, 2, 1, 3)).permute(0, 2, 1, 3));
                }
            }, q, k);
        }
        return out;
    }

    @Override
    public Tensor attentionMix(Tensor pattern, Tensor v) {
        Tensor out = d.attentionMix(pattern, v);
        if (any(pattern, v)) { // z = p v per head: gp = gz v^T, gv = p^T gz
            boolean tp = tape.tracked(pattern);
            boolean tv = tape.tracked(v);
            tape.recordOp(out, (g, grads) -> {
                Tensor gz = g.permute(0, 2, 1, 3); // [B, H, Pq, E]
                if (tp) {
                    grads.add(pattern, gz.matmul(v.permute(0, 2, 3, 1)));
                }
                if (tv) {
                    grads.add(v, pattern.transpose(2, 3).matmul(gz).permute(0, 2, 1, 3));
                }
            }, pattern, v);
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor a, int dim, Tensor index) {
        Tensor out = d.gather(a, dim, index);
        if (any(a)) {
            tape.recordOp(out, (g, grads) -> grads.add(a, Derivatives.scatter(a.shape(), dim, index, g)), a);
        }
        return out;
    }

    @Override
    public Tensor indexSelect(Tensor a, int dim, int[] index) {
        Tensor out = d.indexSelect(a, dim, index);
        if (any(a)) {
            tape.recordOp(out, (g, grads) -> {
                for (int i = 0; i < index.length; i++) {
                    grads.add(a.select(dim, index[i]), g.select(dim, i));
                }
            }, a);
        }
        return out;
    }

    @Override
    public TopK topk(Tensor a, int k, int dim) {
        return d.topk(a, k, dim);
    }

    @Override
    public String toString() {
        return describe();
    }
}
