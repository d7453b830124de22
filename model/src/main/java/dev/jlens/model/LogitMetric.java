// A differentiable scalar of the logits: what a gradient run differentiates (TL: metric(logits).backward()).
package dev.jlens.model;

import dev.jlens.tensor.Tensor;

/**
 * A one-element tensor computed from the logits [batch, pos, d_vocab] with tensor ops, so a gradient run can
 * differentiate it. A value read out of the logits as a float (a {@code PatchMetric}) has no gradient; write the
 * metric with tensor ops instead, and use {@link #value} where a float is wanted.
 */
@FunctionalInterface
public interface LogitMetric {
    /**
     * The metric of {@code logits} [batch, pos, d_vocab] (in a run that stops early, stop_at_layer, of the residual
     * stream [batch, pos, d_model] instead), as a one-element tensor.
     */
    Tensor apply(Tensor logits);

    /** The metric as a float. */
    default float value(Tensor logits) {
        return apply(logits).item();
    }

    /** Mean over the batch of log_softmax(logits)[b, pos, target] (pos negative counts from the end). */
    static LogitMetric meanLogProb(int pos, int target) {
        return logits -> logits.select(1, pos).logSoftmax(-1).select(1, target).mean(0);
    }

    /** Mean over the batch of logits[b, pos, correct] - logits[b, pos, wrong]: the logit difference. */
    static LogitMetric logitDiff(int pos, int correct, int wrong) {
        return logits -> {
            Tensor at = logits.select(1, pos); // [batch, d_vocab]
            return at.select(1, correct).sub(at.select(1, wrong)).mean(0);
        };
    }
}
