// Patching metrics on logits (the seeds' logits_to_ave_logit_diff, normalize_patched_logit_diff and next-token
// loss) and the two normalised metrics of ./jlens patch: logit difference and the clean tokens' log-probability.
package dev.jlens.model.patching;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.LmLoss;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Functions of logits [batch, pos, d_vocab]: the IOI seed's logit difference of answer pairs [batch][2] (correct
 * answer first), its 0-1 normalisation and the ablation seed's next-token loss; and {@link #logitDiffMetric} and
 * {@link #cleanLogProbMetric}, ready-made normalised {@link PatchMetric}s with their clean and corrupted baselines
 * (0 = corrupted, 1 = clean), which read only the positions they need.
 */
public final class PatchMetrics {
    private PatchMetrics() {}

    /**
     * A normalised metric and the raw scores of the unpatched runs it is normalised by.
     *
     * @param name      "logit-diff" or "logprob"
     * @param metric         (raw - corrupted) / (clean - corrupted) of a patched run's logits
     * @param differentiable the same metric as tensor ops on all logits [batch, pos, vocab], for gradients and
     *                       attribution patching; it reads the same positions
     * @param clean          the raw score of the clean run
     * @param corrupted      the raw score of the corrupted run
     */
    public record Normalized(String name, PatchMetric metric, LogitMetric differentiable, double clean,
            double corrupted) {}

    /**
     * The normalised mean logit difference of (correct, incorrect) answers at the last position; baselines from one
     * forward of each batch.
     *
     * @param model     the model
     * @param clean     clean prompts [batch][pos]
     * @param corrupted corrupted prompts [batch][pos]
     * @param answers   [batch][2] token ids, correct first
     * @return the metric, reading the last position only
     */
    public static Normalized logitDiffMetric(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] answers) {
        return logitDiffMetric(model, clean, corrupted, null, answers);
    }

    /**
     * {@link #logitDiffMetric(HookedGpt2, int[][], int[][], int[][])} of left-padded prompts: {@code mask}
     * [batch][pos] (null: all real) applies to the baseline runs; the last position is every row's last token.
     *
     * @param model     the model
     * @param clean     clean prompts [batch][pos], left-padded
     * @param corrupted corrupted prompts [batch][pos], left-padded like clean
     * @param mask      1 at real tokens, 0 at pads; or null
     * @param answers   [batch][2] token ids, correct first
     * @return the metric, reading the last position only
     */
    public static Normalized logitDiffMetric(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            int[][] answers) {
        int[] last = {clean[0].length - 1};
        RunOptions options = RunOptions.defaults().withAttentionMask(mask);
        double cleanDiff = logitDiff(model.forward(clean, options).logits().indexSelect(1, last), answers);
        double corruptedDiff = logitDiff(model.forward(corrupted, options).logits().indexSelect(1, last), answers);
        var normalise = normalizedLogitDiff(answers, cleanDiff, corruptedDiff);
        return new Normalized("logit-diff", PatchMetric.reading(last, l -> (float) normalise.applyAsDouble(l)),
                LogitMetric.normalised(LogitMetric.logitDiff(last[0], answers), cleanDiff, corruptedDiff), cleanDiff,
                corruptedDiff);
    }

    /**
     * The normalised mean log-probability of the clean prompts' own next tokens from the first position where clean
     * and corrupted differ (the induction setup: clean A A, corrupted A B).
     *
     * @param model     the model
     * @param clean     clean prompts [batch][pos]
     * @param corrupted corrupted prompts [batch][pos], differing from clean before the last position
     * @return the metric, reading positions first..pos-2 only
     */
    public static Normalized cleanLogProbMetric(HookedGpt2 model, int[][] clean, int[][] corrupted) {
        return cleanLogProbMetric(model, clean, corrupted, null);
    }

    /**
     * {@link #cleanLogProbMetric(HookedGpt2, int[][], int[][])} of padded prompts: {@code mask} [batch][pos] (null:
     * all real) applies to the baseline runs, and the mean counts position p of row b only when p and p + 1 are
     * real tokens there.
     *
     * @param model     the model
     * @param clean     clean prompts [batch][pos]
     * @param corrupted corrupted prompts [batch][pos], padded like clean
     * @param mask      1 at real tokens, 0 at pads; or null
     * @return the metric, reading positions first..pos-2 only
     */
    public static Normalized cleanLogProbMetric(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask) {
        int pos = clean[0].length;
        int first = pos;
        for (int b = 0; b < clean.length; b++) {
            for (int p = 0; p < pos; p++) {
                if (clean[b][p] != corrupted[b][p]) {
                    first = Math.min(first, p);
                    break;
                }
            }
        }
        if (first == pos) {
            throw new IllegalArgumentException("the clean and corrupted prompts are the same tokens; nothing to "
                    + "patch");
        }
        if (first == pos - 1) {
            throw new IllegalArgumentException("the prompts differ only in their last token, which no position "
                    + "predicts; use the logit difference of answers");
        }
        int[] reads = new int[pos - 1 - first]; // position p predicts token p + 1
        for (int i = 0; i < reads.length; i++) {
            reads[i] = first + i;
        }
        int[][] targets = new int[clean.length][]; // read i of row b predicts clean[b][first + i + 1]
        boolean[][] counted = new boolean[clean.length][reads.length];
        for (int b = 0; b < clean.length; b++) {
            targets[b] = Arrays.copyOfRange(clean[b], first + 1, pos);
            for (int i = 0; i < reads.length; i++) {
                counted[b][i] = mask == null || (mask[b][first + i] != 0 && mask[b][first + i + 1] != 0);
            }
        }
        PatchMetric raw = logits -> (float) -maskedMean(LmLoss.nll(logits, targets), counted); // [batch, reads, V]
        RunOptions options = RunOptions.defaults().withAttentionMask(mask);
        double cleanScore = raw.apply(model.forward(clean, options).logits().indexSelect(1, reads));
        double corruptedScore = raw.apply(model.forward(corrupted, options).logits().indexSelect(1, reads));
        var normalise = normalized(cleanScore, corruptedScore);
        return new Normalized("logprob", PatchMetric.reading(reads, l -> (float) normalise.applyAsDouble(
                raw.apply(l))), LogitMetric.normalised(LogitMetric.meanLogProbOfNext(reads, clean, counted), cleanScore,
                corruptedScore), cleanScore, corruptedScore);
    }

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

    /** Mean of values [batch, n] where {@code counted[b][i]}. */
    private static double maskedMean(Tensor values, boolean[][] counted) {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < counted.length; b++) {
            for (int i = 0; i < counted[b].length; i++) {
                if (counted[b][i]) {
                    sum += values.get(b, i);
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no position to score: every read position is a pad");
        }
        return sum / count;
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
