// TL LayerNorm / LayerNormPre: centre, divide by scale (hook_scale), then optional affine (after hook_normalized).
package dev.jlens.model.components;

import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookedModule;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.ReduceOp;

/**
 * x -> (x - mean(x)) / scale * w + b with scale = sqrt(mean((x - mean)^2) + eps) over the last dim, as
 * TransformerLens' LayerNorm (w, b present) or LayerNormPre (w = b = null). Unhooked, one fused kernel runs;
 * with hooks on scale or normalized, the steps run one by one so the hooks see and may replace each.
 * Mirrors TL components/layer_norm.py.
 */
public final class LayerNorm implements HookedModule {
    private final HookPoint hookScale = new HookPoint();      // [batch, pos, 1] (or [batch, pos, head_index, 1])
    private final HookPoint hookNormalized = new HookPoint(); // [batch, pos, d_model] (or [..., head_index, d_model])
    private final Tensor w; // [d_model] or null for LNPre
    private final Tensor b; // [d_model] or null for LNPre
    private final float eps;

    /** A layer norm with affine {@code w}, {@code b} ([d_model], or both null for LNPre). */
    public LayerNorm(Tensor w, Tensor b, float eps) {
        this.w = w;
        this.b = b;
        this.eps = eps;
    }

    /** The affine weight w [d_model], or null (LNPre). */
    public Tensor w() {
        return w;
    }

    /** The affine bias b [d_model], or null (LNPre). */
    public Tensor b() {
        return b;
    }

    /** True when hooks are attached, so callers that share one normalization for q, k and v must not. */
    public boolean hasHooks() {
        return hookScale.hasHooks() || hookNormalized.hasHooks();
    }

    /** Normalizes over the last dim of x [..., d_model]. */
    public Tensor forward(Tensor x) {
        if (!hasHooks()) {
            return x.layerNorm(w, b, eps);
        }
        Tensor centred = x.sub(x.reduce(ReduceOp.MEAN, -1, true));
        Tensor scale = hookScale.forward(
                centred.mul(centred).reduce(ReduceOp.MEAN, -1, true).add(Tensor.scalar(eps)).sqrt());
        Tensor normalized = hookNormalized.forward(centred.div(scale));
        return w == null ? normalized : normalized.mul(w).add(b);
    }
}
