// Sampling is reproducible and draws from softmax(logits / T) (restricted to top-k / top-p), checked with a
// chi-square goodness-of-fit test on a 97-token model.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * N rows of one prompt sample one token each; the counts are compared with N p by Pearson's chi-square over bins of
 * expected count at least 5 (the rarer ids pooled into one bin). The critical value is the chi-square quantile at
 * 1 - 1e-6 (Wilson-Hilferty), so a correct sampler fails a given seed with probability 1e-6 (the seeds are fixed,
 * so the test is deterministic). Each test also shows the statistic far above the critical value against a wrong
 * distribution, so the test can fail.
 */
class GenerateSamplingTest {
    private static final Gpt2Config CFG = TinyModels.config();
    private static final HookedGpt2 MODEL = Gpt2Assembly.fromStateDict(CFG, TinyModels.weights(CFG));
    private static final int[] PROMPT = {5, 17, 42, 8};
    private static final int N = 20_000;
    private static final double Z_1E6 = 4.7534; // standard normal upper 1e-6 quantile

    private static GenerateOptions sampling(double temperature, long seed) {
        return GenerateOptions.defaults().temperature(temperature).seed(seed).maxNewTokens(1).stopAtEos(false);
    }

    /** softmax(logits / T) of the prompt's last position, in double: the distribution to sample. */
    private static double[] softmax(double temperature) {
        float[] logits = MODEL.forward(new int[][] {PROMPT}).select(0, 0).select(0, PROMPT.length - 1).toArray();
        double max = IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).max().orElseThrow();
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int[] counts(GenerateOptions o) {
        int[][] rows = new int[N][];
        Arrays.fill(rows, PROMPT);
        Generated g = MODEL.generate(rows, null, o);
        int[] counts = new int[CFG.dVocab()];
        for (int[] row : g.newTokens()) {
            counts[row[0]]++;
        }
        return counts;
    }

    /** Pearson's statistic and its degrees of freedom, pooling ids of expected count below 5 into one bin. */
    private static double[] chiSquare(int[] counts, double[] p) {
        double stat = 0;
        int bins = 0;
        double pooledExpected = 0;
        int pooledObserved = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = N * p[i];
            if (expected >= 5) {
                stat += (counts[i] - expected) * (counts[i] - expected) / expected;
                bins++;
            } else if (p[i] > 0) {
                pooledExpected += expected;
                pooledObserved += counts[i];
            } else if (counts[i] > 0) {
                return new double[] {Double.POSITIVE_INFINITY, 1}; // drawn with probability 0
            }
        }
        if (pooledExpected > 0) {
            stat += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        return new double[] {stat, bins - 1};
    }

    /** The chi-square quantile at 1 - 1e-6 for df degrees of freedom (Wilson-Hilferty). */
    private static double critical(double df) {
        double a = 2 / (9 * df);
        return df * Math.pow(1 - a + Z_1E6 * Math.sqrt(a), 3);
    }

    private static void assertFits(int[] counts, double[] p, double[] wrong) {
        double[] fit = chiSquare(counts, p);
        assertTrue(fit[1] >= 10, "too few bins for the test: " + fit[1]);
        assertTrue(fit[0] < critical(fit[1]), "chi-square " + fit[0] + " on " + fit[1] + " df, critical "
                + critical(fit[1]));
        double[] off = chiSquare(counts, wrong);
        assertTrue(off[0] > critical(off[1]), "a wrong distribution must be rejected: " + off[0] + " on " + off[1]
                + " df");
    }

    @Test
    void samplesFollowTheSoftmaxAtTheTemperature() {
        assertFits(counts(sampling(0.5, 42)), softmax(0.5), softmax(1.0));
    }

    @Test
    void topKSamplesFollowTheRenormalizedTopK() {
        double[] p = softmax(1.0);
        double[] top = keep(p, 20);
        int[] counts = counts(sampling(1.0, 7).topK(20));
        assertFits(counts, top, p);
    }

    @Test
    void topPSamplesFollowTheNucleus() {
        double[] p = softmax(1.0);
        Integer[] order = IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i]))
                .toArray(Integer[]::new);
        int kept = 0;
        double before = 0; // TL keeps an id when the ids more likely than it sum to at most top_p
        while (kept < order.length && before <= 0.6) {
            before += p[order[kept++]];
        }
        assertTrue(kept >= 12 && kept < p.length, "nucleus of " + kept + " ids");
        assertFits(counts(sampling(1.0, 9).topP(0.6)), keep(p, kept), p);
    }

    /** p restricted to its k most likely ids, renormalized. */
    private static double[] keep(double[] p, int k) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double threshold = sorted[p.length - k];
        double[] out = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] >= threshold ? p[i] : 0;
            sum += out[i];
        }
        for (int i = 0; i < p.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        int[][] rows = {PROMPT, PROMPT, {1, 2, 3, 4}};
        GenerateOptions o = GenerateOptions.defaults().temperature(1).maxNewTokens(10).stopAtEos(false);
        int[][] first = MODEL.generate(rows, null, o.seed(123)).newTokens();
        int[][] again = MODEL.generate(rows, null, o.seed(123)).newTokens();
        int[][] other = MODEL.generate(rows, null, o.seed(124)).newTokens();
        for (int b = 0; b < rows.length; b++) {
            assertArrayEquals(first[b], again[b], "row " + b);
        }
        assertFalse(Arrays.deepEquals(first, other), "another seed must draw other tokens");
        assertFalse(Arrays.equals(first[0], first[1]), "rows draw their own random numbers");
        assertEquals(10, first[0].length);
    }
}
