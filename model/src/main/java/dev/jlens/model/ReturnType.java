// What a forward pass returns: TransformerLens' return_type.
package dev.jlens.model;

/** TL's return_type: "logits", "loss", "both" or None (which skips the unembedding). */
public enum ReturnType {
    /** The logits [batch, pos, d_vocab]. */
    LOGITS,
    /** The next-token cross-entropy loss. */
    LOSS,
    /** Logits and loss. */
    BOTH,
    /** Neither: the pass stops before the unembedding (for hooks and caches). */
    NONE;

    boolean wantsLogits() {
        return this == LOGITS || this == BOTH;
    }

    boolean wantsLoss() {
        return this == LOSS || this == BOTH;
    }
}
