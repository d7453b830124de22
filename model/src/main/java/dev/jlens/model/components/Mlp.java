// TL MLP: pre = x W_in + b_in (hook_pre), post = gelu_new(pre) (hook_post), out = post W_out + b_out.
package dev.jlens.model.components;

import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookedModule;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;

/** GPT-2's MLP, mirroring TL components/mlps/mlp.py; weights are prepared (packed) once at construction. */
public final class Mlp implements HookedModule {
    private final HookPoint hookPre = new HookPoint();  // [batch, pos, d_mlp]
    private final HookPoint hookPost = new HookPoint(); // [batch, pos, d_mlp]
    private final Tensor wIn;  // [d_model, d_mlp], prepared
    private final Tensor bIn;  // [d_mlp]
    private final Tensor wOut; // [d_mlp, d_model], prepared
    private final Tensor bOut; // [d_model]

    /** An MLP from TL-shaped weights. */
    public Mlp(Tensor wIn, Tensor bIn, Tensor wOut, Tensor bOut) {
        this.wIn = Backends.current().prepareWeight(wIn);
        this.bIn = bIn;
        this.wOut = Backends.current().prepareWeight(wOut);
        this.bOut = bOut;
    }

    /** W_in [d_model, d_mlp], the prepared weight (read-only). */
    public Tensor wIn() {
        return wIn;
    }

    /** b_in [d_mlp]. */
    public Tensor bIn() {
        return bIn;
    }

    /** W_out [d_mlp, d_model], the prepared weight (read-only). */
    public Tensor wOut() {
        return wOut;
    }

    /** b_out [d_model]. */
    public Tensor bOut() {
        return bOut;
    }

    /** x [batch, pos, d_model] -> [batch, pos, d_model]. */
    public Tensor forward(Tensor x) {
        Tensor pre = hookPre.forward(x.matmul(wIn).add(bIn));
        Tensor post = hookPost.forward(pre.geluNew());
        return post.matmul(wOut).add(bOut);
    }
}
