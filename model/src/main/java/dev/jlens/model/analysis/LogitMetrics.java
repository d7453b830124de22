// Metrics on logits as the seeds write them: logit difference of answer pairs, its 0-1 normalisation, and loss.
package dev.jlens.model.analysis;

import dev.jlens.model.patching.PatchMetrics;
import dev.jlens.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The IOI seed's {@code logits_to_ave_logit_diff} and {@code normalize_patched_logit_diff}, and the ablation
 * seed's next-token loss, as functions of logits [batch, pos, d_vocab], under the names the analysis seeds use; the
 * implementation is {@link PatchMetrics} (patching cannot import this package). Answer tokens are [batch][2]: the
 * correct answer first, the incorrect one second (the seed's answer_tokens).
 */
public final class LogitMetrics {
    private LogitMetrics() {}

    /** Per prompt: diff[b] = logits[b, -1, answers[b][0]] - logits[b, -1, answers[b][1]], shape [batch]. */
    public static Tensor logitDiffs(Tensor logits, int[][] answers) {
        return PatchMetrics.logitDiffs(logits, answers);
    }

    /** The mean over prompts of {@link #logitDiffs} (logits_to_ave_logit_diff). */
    public static double logitDiff(Tensor logits, int[][] answers) {
        return PatchMetrics.logitDiff(logits, answers);
    }

    /** normalize_patched_logit_diff: v -> (v - corrupted) / (clean - corrupted) (see {@link PatchMetrics}). */
    public static DoubleUnaryOperator normalized(double clean, double corrupted) {
        return PatchMetrics.normalized(clean, corrupted);
    }

    /** The normalised mean logit difference of logits, a metric for patching and ablation loops. */
    public static ToDoubleFunction<Tensor> normalizedLogitDiff(int[][] answers, double clean, double corrupted) {
        return PatchMetrics.normalizedLogitDiff(answers, clean, corrupted);
    }

    /** Mean next-token loss over query positions [from, to) (see {@link PatchMetrics#nextTokenLoss}). */
    public static ToDoubleFunction<Tensor> nextTokenLoss(int[][] tokens, int from, int to) {
        return PatchMetrics.nextTokenLoss(tokens, from, to);
    }
}
