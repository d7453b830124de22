// The result of a forward pass: logits, loss, or the residual stream where the pass stopped.
package dev.jlens.model;

import dev.jlens.tensor.Tensor;

/**
 * What a forward pass returned, as asked by {@link RunOptions#returnType()}.
 *
 * @param logits   [batch, pos, d_vocab], or null when not asked for
 * @param loss     mean next-token cross-entropy (a scalar), or per token [batch, pos - 1]; null when not asked
 * @param residual [batch, pos, d_model] when the pass stopped early (stop_at_layer), else null
 */
public record ModelOutput(Tensor logits, Tensor loss, Tensor residual) {}
