// TL's lm_cross_entropy_loss: next-token negative log-likelihood, masked by the attention mask.
package dev.jlens.model;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;

/**
 * The one next-token loss of jlens: nll[b, i] = -log_softmax(logits[b, i])[targets[b][i]] ({@link #nll}), used by
 * forward's loss ({@link #crossEntropy}: position p predicts token p + 1 and, with a mask, counts only when
 * both p and p + 1 are real tokens, as TL's lm_cross_entropy_loss) and by the analysis metrics.
 */
public final class LmLoss {
    private LmLoss() {}

    /**
     * Negative log-likelihood of given targets.
     *
     * @param logits  [batch, n, d_vocab]
     * @param targets [batch][n] token ids, one per logit row
     * @return nll [batch, n]
     */
    public static Tensor nll(Tensor logits, int[][] targets) {
        int batch = targets.length;
        int n = targets.length == 0 ? 0 : targets[0].length;
        if (logits.rank() != 3 || logits.size(0) != batch || logits.size(1) != n) {
            throw new IllegalArgumentException("logits " + Shape.str(logits.shape()) + " do not match targets ["
                    + batch + ", " + n + "]: one logit row per target");
        }
        float[] flat = new float[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int id = targets[b][i];
                if (id < 0 || id >= logits.size(2)) {
                    throw new IllegalArgumentException("target token id " + id + " at [" + b + ", " + i + "] is out"
                            + " of range for d_vocab " + logits.size(2));
                }
                flat[b * n + i] = id;
            }
        }
        Tensor logProbs = logits.logSoftmax(-1); // [batch, n, d_vocab]
        return logProbs.gather(2, Tensor.of(flat, batch, n, 1)).reshape(batch, n).scale(-1f);
    }

    /**
     * TL lm_cross_entropy_loss: per token [batch, pos - 1] (0 where masked), or the mean over counted positions as a
     * scalar. Position p counts when the mask (null: all real) has both p and p + 1 real.
     */
    static Tensor crossEntropy(Tensor logits, int[][] tokens, int[][] mask, boolean perToken) {
        int batch = tokens.length;
        int pos = tokens[0].length;
        if (pos < 2) {
            throw new IllegalArgumentException("the loss needs at least 2 tokens per sequence, got " + pos);
        }
        int[][] next = new int[batch][];
        for (int b = 0; b < batch; b++) {
            next[b] = java.util.Arrays.copyOfRange(tokens[b], 1, pos);
        }
        float[] loss = nll(logits.narrow(1, 0, pos - 1), next).toArray(); // [batch, pos - 1]
        double sum = 0;
        int count = 0;
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < pos - 1; p++) {
                int i = b * (pos - 1) + p;
                if (mask != null && (mask[b][p] == 0 || mask[b][p + 1] == 0)) {
                    loss[i] = 0f;
                } else {
                    sum += loss[i];
                    count++;
                }
            }
        }
        return perToken ? Tensor.of(loss, batch, pos - 1) : Tensor.scalar((float) (sum / Math.max(1, count)));
    }
}
