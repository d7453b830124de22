// What a Tape's backward pass does at each marked activation: observe or replace its gradient (TL bwd hooks).
package dev.jlens.tensor.autograd;

import dev.jlens.tensor.Tensor;

/** Called once per marked activation, latest first, with the gradient of the output w.r.t. it. */
@FunctionalInterface
public interface GradientSink {
    /**
     * Observes or replaces the gradient flowing into one marked activation.
     *
     * @param name     the name the activation was marked with (a hook name)
     * @param gradient d output / d activation, the activation's shape (a copy: keep it)
     * @return null to let it flow on unchanged, or a replacement of the same shape that flows on instead
     */
    Tensor at(String name, Tensor gradient);
}
