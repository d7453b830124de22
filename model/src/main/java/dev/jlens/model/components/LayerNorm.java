// TL LayerNorm / LayerNormPre: centre, divide by scale (hook_scale), then optional affine (after hook_normalized).
package dev.jlens.model.components;

import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookedModule;
import dev.jlens.tensor.Tensor;

/**
 * x -> (x - mean(x)) / scale * w + b with scale = sqrt(mean((x - mean)^2) + eps) over the last dim, as
 * TransformerLens' LayerNorm (w, b present) or LayerNormPre (w = b = null). Mirrors TL components/layer_norm.py.
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

    /**
     * Normalizes over the last dim of x [..., d_model]. Unhooked, the fused kernel runs; hooked, its halves run with
     * the same arithmetic (scale, then normalize from the scale hook_scale returns, then the affine on what
     * hook_normalized returns), so observing changes no bit and a replacement or in-place edit is what the next
     * step reads, as in TL.
     */
    public Tensor forward(Tensor x) {
        if (!hasHooks()) {
            return x.layerNorm(w, b, eps);
        }
        Tensor scale = hookScale.forward(x.layerNormScale(eps));
        Tensor normalized = hookNormalized.forward(x.layerNormNormalize(scale));
        return w == null ? normalized : normalized.mul(w).add(b);
    }
}
