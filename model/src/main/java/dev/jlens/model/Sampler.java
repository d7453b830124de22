// TL utils.sample_logits: the next token from one row of logits (greedy, temperature, top-k, top-p).
package dev.jlens.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a token from logits [d_vocab]: argmax when the temperature is 0 (the lowest id among equal maxima, as
 * torch.argmax); otherwise p_i = softmax(logits / T)_i restricted to the top-k ids (every id whose logit reaches the
 * k-th largest) and then to the top-p nucleus (in descending order of probability, each id whose more likely ids
 * sum to at most p, as TL's shifted cumulative-sum mask), renormalized, and drawn by inverse CDF with one uniform
 * number in [0, 1) per call, in double. One sampler belongs to one generation: its random stream is seeded once.
 */
final class Sampler {
    private final double temperature;
    private final Integer topK;
    private final Double topP;
    private final SplittableRandom random;

    Sampler(GenerateOptions o) {
        this.temperature = o.temperature();
        this.topK = o.topK();
        this.topP = o.topP();
        this.random = new SplittableRandom(o.seed());
    }

    /** The next token id from {@code logits} [d_vocab]. */
    int sample(float[] logits) {
        if (temperature == 0) {
            return argmax(logits);
        }
        double max = logits[argmax(logits)];
        double[] p = new double[logits.length]; // unnormalized probabilities exp((l - max) / T)
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
        }
        if (topK != null && topK < logits.length) {
            float kth = kthLargest(logits, topK);
            for (int i = 0; i < p.length; i++) {
                p[i] = logits[i] >= kth ? p[i] : 0;
            }
        }
        if (topP != null && topP < 1) {
            nucleus(p, topP);
        }
        double total = 0;
        for (double x : p) {
            total += x;
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // u within rounding of the total
    }

    /** Zeroes every p outside the nucleus: keeps each id whose more likely ids hold at most {@code top} of the sum. */
    private static void nucleus(double[] p, double top) {
        Integer[] order = new Integer[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            total += p[i];
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a])); // stable: equal p keep id order
        double cumulative = 0;
        int keep = 0;
        while (keep < order.length && cumulative <= top * total) {
            cumulative += p[order[keep++]];
        }
        for (int r = keep; r < order.length; r++) {
            p[order[r]] = 0;
        }
    }

    private static float kthLargest(float[] logits, int k) {
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - k];
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
