// Metrics on logits as the seeds write them: logit difference of answer pairs, its 0-1 normalisation, and loss.
package dev.jlens.model.analysis;

import dev.jlens.model.LmLoss;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The IOI seed's {@code logits_to_ave_logit_diff} and {@code normalize_patched_logit_diff}, and the ablation
 * seed's next-token loss, as functions of logits [batch, pos, d_vocab]. Answer tokens are [batch][2]: the correct
 * answer first, the incorrect one second (the seed's answer_tokens).
 */
public final class LogitMetrics {
    private LogitMetrics() {}

    /** Per prompt: diff[b] = logits[b, -1, answers[b][0]] - logits[b, -1, answers[b][1]], shape [batch]. */
    public static Tensor logitDiffs(Tensor logits, int[][] answers) {
        checkLogits(logits, answers.length);
        int last = logits.size(1) - 1;
        float[] diffs = new float[answers.length];
        for (int b = 0; b < answers.length; b++) {
            if (answers[b].length != 2) {
                throw new IllegalArgumentException("answers[" + b + "] must be a (correct, incorrect) pair, got "
                        + answers[b].length + " tokens");
            }
            Tensor row = logits.select(0, b).select(0, last); // [d_vocab]
            diffs[b] = row.get(checkToken(answers[b][0], row)) - row.get(checkToken(answers[b][1], row));
        }
        return Tensor.of(diffs, answers.length);
    }

    /** The mean over prompts of {@link #logitDiffs} (logits_to_ave_logit_diff). */
    public static double logitDiff(Tensor logits, int[][] answers) {
        return mean(logitDiffs(logits, answers).toArray());
    }

    /**
     * normalize_patched_logit_diff: v -> (v - corrupted) / (clean - corrupted), 0 at the corrupted baseline, 1 at
     * the clean one, above 1 when a patch beats clean and below 0 when it makes things worse.
     */
    public static DoubleUnaryOperator normalized(double clean, double corrupted) {
        if (!(Math.abs(clean - corrupted) > 0)) {
            throw new IllegalArgumentException("cannot normalise: the clean (" + clean + ") and corrupted ("
                    + corrupted + ") baselines are equal or not finite numbers");
        }
        return v -> (v - corrupted) / (clean - corrupted);
    }

    /** The normalised mean logit difference of logits, a metric for patching and ablation loops. */
    public static ToDoubleFunction<Tensor> normalizedLogitDiff(int[][] answers, double clean, double corrupted) {
        DoubleUnaryOperator norm = normalized(clean, corrupted);
        return logits -> norm.applyAsDouble(logitDiff(logits, answers));
    }

    /**
     * Mean next-token loss over query positions [from, to): -log_softmax(logits[b, p])[tokens[b][p + 1]] averaged
     * over batch and positions (the ablation seed's {@code -get_log_probs(logits, tokens)[:, from:to].mean()}); the
     * same {@link LmLoss#nll} as forward's loss.
     */
    public static ToDoubleFunction<Tensor> nextTokenLoss(int[][] tokens, int from, int to) {
        int pos = tokens[0].length;
        if (from < 0 || from >= to || to > pos - 1) {
            throw new IllegalArgumentException("loss positions [" + from + ", " + to + ") must lie within [0, "
                    + (pos - 1) + ") for " + pos + " tokens");
        }
        int[][] targets = new int[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            targets[b] = Arrays.copyOfRange(tokens[b], from + 1, to + 1);
        }
        return logits -> {
            checkLogits(logits, tokens.length);
            float[] nll = LmLoss.nll(logits.narrow(1, from, to - from), targets).toArray(); // [batch, to - from]
            double sum = 0;
            for (float x : nll) {
                sum += x;
            }
            return sum / nll.length;
        };
    }

    private static void checkLogits(Tensor logits, int batch) {
        if (logits.rank() != 3 || logits.size(0) != batch) {
            throw new IllegalArgumentException("expected logits [" + batch + ", pos, d_vocab] for " + batch
                    + " prompts, got " + Shape.str(logits.shape()));
        }
    }

    private static int checkToken(int id, Tensor row) {
        if (id < 0 || id >= row.size(0)) {
            throw new IllegalArgumentException("answer token id " + id + " is out of range for d_vocab " + row.size(0));
        }
        return id;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
