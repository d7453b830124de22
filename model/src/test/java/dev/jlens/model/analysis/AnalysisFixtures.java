// Small models, runs and checks shared by the cache-analysis tests.
package dev.jlens.model.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.CachedRun;
import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.RandomWeights;
import dev.jlens.tensor.Close;
import dev.jlens.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Models: {@link #unprocessed()} (LN with w and b, as a raw checkpoint), {@link #processed()} (the built-in
 * tiny-random through TL's processing: LNPre, centred writes and unembed), {@link #attnOnlyNoNorm()} and
 * {@link #withAttnResult()} (hook_result cached). Sum checks use {@link #SUM_ATOL}.
 */
final class AnalysisFixtures {
    /** fp32 sums of a few dozen components against the model's own fp32 activations. */
    static final double SUM_ATOL = 1e-4;
    static final int BATCH = 2;
    static final int POS = 7;

    private AnalysisFixtures() {}

    static Gpt2Config config() {
        return Gpt2Config.gpt2Shape("tiny-analysis", 2, 32, 4, 128, 97, 24);
    }

    static HookedGpt2 unprocessed() {
        return Gpt2Assembly.fromStateDict(config(), RandomWeights.stateDict(config(), 42));
    }

    static HookedGpt2 processed() {
        return Pretrained.load("tiny-random");
    }

    static HookedGpt2 attnOnlyNoNorm() {
        Gpt2Config cfg = config().withNormalizationType(NormalizationType.NONE).withAttnOnly(true);
        return Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(cfg, 43));
    }

    static HookedGpt2 withAttnResult() {
        Gpt2Config cfg = config().withHooks(true, false, false, false);
        return Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(config(), 42));
    }

    static int[][] tokens(HookedGpt2 model, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] t = new int[BATCH][POS];
        for (int[] row : t) {
            for (int p = 0; p < POS; p++) {
                row[p] = r.nextInt(model.cfg().dVocab());
            }
        }
        return t;
    }

    static CachedRun run(HookedGpt2 model) {
        return model.runWithCache(tokens(model, 7));
    }

    static CacheAnalysis analysis(HookedGpt2 model) {
        return new CacheAnalysis(model, run(model).cache());
    }

    /**
     * Same shape and max |want - got| <= atol; also that {@code want} is large against atol, so that a missing
     * term (a bias, an embedding) cannot hide under the tolerance. Returns the max deviation.
     */
    static double assertClose(String what, Tensor want, Tensor got, double atol) {
        Close.assertClose(what, want, got, 0, atol);
        double dev = want.maxAbsDiff(got);
        double scale = want.maxAbsDiff(Tensor.zeros(want.shape()));
        assertTrue(scale > 50 * atol, what + ": reference max |x| " + scale + " is too small for the check to mean much");
        System.out.printf("%s: max |diff| %.3g (reference max |x| %.3g)%n", what, dev, scale);
        return dev;
    }
}
