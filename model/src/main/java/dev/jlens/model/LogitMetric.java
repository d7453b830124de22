// A differentiable scalar of the logits: what a gradient run differentiates (TL: metric(logits).backward()).
package dev.jlens.model;

import dev.jlens.tensor.Tensor;
import java.util.Arrays;

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

    /**
     * Mean over the batch of log_softmax(logits)[b, positions[b], target]: each row read at its own position (a
     * left-padded batch's rows end at the same position but start at different ones).
     */
    static LogitMetric meanLogProb(int[] positions, int target) {
        return logits -> {
            int vocab = logits.size(2);
            float[] index = new float[positions.length * vocab]; // [batch, 1, vocab]: row b reads positions[b]
            for (int b = 0; b < positions.length; b++) {
                Arrays.fill(index, b * vocab, (b + 1) * vocab, positions[b]);
            }
            return logits.gather(1, Tensor.of(index, positions.length, 1, vocab)).select(1, 0).logSoftmax(-1)
                    .select(1, target).mean(0);
        };
    }

    /**
     * Mean over the batch of logits[b, pos, answers[b][0]] - logits[b, pos, answers[b][1]]: the logit difference of
     * each prompt's (correct, incorrect) pair.
     */
    static LogitMetric logitDiff(int pos, int[][] answers) {
        float[] ids = new float[2 * answers.length];
        for (int b = 0; b < answers.length; b++) {
            ids[2 * b] = answers[b][0];
            ids[2 * b + 1] = answers[b][1];
        }
        Tensor index = Tensor.of(ids, answers.length, 2);
        return logits -> {
            Tensor picked = logits.select(1, pos).gather(1, index); // [batch, 2]
            return picked.select(1, 0).sub(picked.select(1, 1)).mean(0);
        };
    }

    /** Mean over the batch and {@code positions} of log_softmax(logits)[b, p, tokens[b][p + 1]] (next-token log p). */
    static LogitMetric meanLogProbOfNext(int[] positions, int[][] tokens) {
        return meanLogProbOfNext(positions, tokens, null);
    }

    /**
     * {@link #meanLogProbOfNext(int[], int[][])} over the reads that {@code counted} [batch][positions] keeps (a
     * padded batch: where p and p + 1 are real tokens; null keeps all).
     */
    static LogitMetric meanLogProbOfNext(int[] positions, int[][] tokens, boolean[][] counted) {
        int reads = tokens.length * positions.length;
        float[] ids = new float[reads];
        float[] weights = new float[reads]; // 1 / (number counted) where counted, else 0
        int count = 0;
        for (int b = 0; b < tokens.length; b++) {
            for (int i = 0; i < positions.length; i++) {
                ids[b * positions.length + i] = tokens[b][positions[i] + 1];
                boolean kept = counted == null || counted[b][i];
                weights[b * positions.length + i] = kept ? 1 : 0;
                count += kept ? 1 : 0;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no position to score: every read position is a pad");
        }
        for (int r = 0; r < reads; r++) {
            weights[r] /= count;
        }
        Tensor index = Tensor.of(ids, tokens.length, positions.length, 1);
        Tensor weight = Tensor.of(weights, reads);
        return logits -> logits.indexSelect(1, positions).logSoftmax(-1).gather(2, index).reshape(-1).mul(weight)
                .sum(0);
    }

    /** (m - corrupted) / (clean - corrupted): 0 at the corrupted baseline, 1 at the clean one. */
    static LogitMetric normalised(LogitMetric m, double clean, double corrupted) {
        if (!(Math.abs(clean - corrupted) > 0)) {
            throw new IllegalArgumentException("cannot normalise: the clean (" + clean + ") and corrupted ("
                    + corrupted + ") baselines are equal or not finite numbers");
        }
        return logits -> m.apply(logits).sub(Tensor.scalar((float) corrupted)).scale((float) (1 / (clean - corrupted)));
    }
}
