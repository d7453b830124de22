// A forward hook: sees the activation at a HookPoint and observes it (returns null) or replaces it.
package dev.jlens.hooks;

import dev.jlens.tensor.Tensor;

/**
 * TransformerLens' hook function {@code hook(tensor, hook)}. Return null to observe; return a tensor of the same
 * shape to replace the activation: the replacement is what later hooks and the next op consume.
 */
@FunctionalInterface
public interface HookFn {
    /**
     * Called with each activation that flows through the hook point.
     *
     * @param activation the tensor flowing through the hook point (do not keep it past the call without copying
     *                   if you will write into it later)
     * @param hook       the hook point, for its {@link HookPoint#name()} and {@link HookPoint#layer()}
     * @return null to observe, or the replacement activation
     */
    Tensor apply(Tensor activation, HookPoint hook);
}
