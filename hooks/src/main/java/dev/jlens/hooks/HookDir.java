// Which pass a persistent hook runs in: TL add_hook(..., dir="fwd" | "bwd").
package dev.jlens.hooks;

/** The pass a hook belongs to (TransformerLens' {@code dir}). */
public enum HookDir {
    /** The forward pass: the hook sees, and may replace, the activation. */
    FWD,
    /**
     * The backward pass of a gradient run: the hook sees the gradient arriving at the hook point and may replace
     * what flows on to the ops before it.
     */
    BWD
}
