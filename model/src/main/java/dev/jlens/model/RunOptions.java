// Options of one forward pass (TL forward's keyword arguments), immutable with with-style setters.
package dev.jlens.model;

import dev.jlens.tensor.Tensor;

/**
 * What one forward pass computes and returns; {@link #defaults()} is TL's {@code model(tokens)}.
 *
 * @param returnType    logits, loss, both, or none
 * @param lossPerToken  loss per token [batch, pos - 1] instead of the mean
 * @param attentionMask [batch, pos] 1 for real tokens, 0 for padding; null when every token is real
 * @param startAtLayer  first block to run; with a layer > 0, {@code startResidual} is the input
 * @param startResidual [batch, pos, d_model] residual stream entering block {@code startAtLayer}, or null
 * @param stopAtLayer   run blocks before this one and return the residual (negative counts from the end); null
 *                      runs the whole model
 */
public record RunOptions(ReturnType returnType, boolean lossPerToken, int[][] attentionMask, int startAtLayer,
        Tensor startResidual, Integer stopAtLayer) {

    /** Logits of the whole model, no mask. */
    public static RunOptions defaults() {
        return new RunOptions(ReturnType.LOGITS, false, null, 0, null, null);
    }

    /** The same options returning {@code type}. */
    public RunOptions returning(ReturnType type) {
        return new RunOptions(type, lossPerToken, attentionMask, startAtLayer, startResidual, stopAtLayer);
    }

    /** The same options with the loss per token (or the mean when false). */
    public RunOptions perTokenLoss(boolean perToken) {
        return new RunOptions(returnType, perToken, attentionMask, startAtLayer, startResidual, stopAtLayer);
    }

    /** The same options with an attention mask [batch, pos]. */
    public RunOptions withAttentionMask(int[][] mask) {
        return new RunOptions(returnType, lossPerToken, mask, startAtLayer, startResidual, stopAtLayer);
    }

    /** The same options starting at block {@code layer} from {@code residual} [batch, pos, d_model]. */
    public RunOptions startingAt(int layer, Tensor residual) {
        return new RunOptions(returnType, lossPerToken, attentionMask, layer, residual, stopAtLayer);
    }

    /** The same options stopping before block {@code layer}. */
    public RunOptions stoppingAt(int layer) {
        return new RunOptions(returnType, lossPerToken, attentionMask, startAtLayer, startResidual, layer);
    }
}
