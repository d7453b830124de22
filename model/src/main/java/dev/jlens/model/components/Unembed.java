// TL Unembed: logits = x W_U + b_U.
package dev.jlens.model.components;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;

/** The unembedding [batch, pos, d_model] -> [batch, pos, d_vocab]; W_U is packed once. */
public final class Unembed {
    private final Tensor wU; // [d_model, d_vocab], prepared
    private final Tensor bU; // [d_vocab]

    /** An unembedding from TL-shaped weights. */
    public Unembed(Tensor wU, Tensor bU) {
        this.wU = Backends.current().prepareWeight(wU);
        this.bU = bU;
    }

    /** W_U [d_model, d_vocab], the prepared weight (read-only). */
    public Tensor wU() {
        return wU;
    }

    /** b_U [d_vocab]. */
    public Tensor bU() {
        return bU;
    }

    /** logits [..., d_vocab] of x [..., d_model]. */
    public Tensor forward(Tensor x) {
        return x.matmul(wU).add(bU);
    }
}
