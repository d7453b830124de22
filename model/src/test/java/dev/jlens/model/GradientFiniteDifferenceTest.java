// Whole-model gradients against central finite differences of an independent float64 forward (ReferenceGpt2).
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * d/d hook_embed of m = mean_b log_softmax(logits)[b, P, ID], from the engine's backward (float32) and from
 * (m(e + h) - m(e - h)) / 2h on ReferenceGpt2 in float64, which shares no code with the engine. Both the fused
 * forward (only hook_embed marked: fused layer norm and attention) and the unfused one (every hook point marked,
 * so layer norm runs step by step and attention through scores and pattern) are checked, on scalar and cpu.
 */
class GradientFiniteDifferenceTest {
    private static final int POS = 5;
    private static final int TARGET = 7;
    private final Gpt2Config cfg = TinyModels.config();
    private final StateDict weights = TinyModels.weights(cfg);
    private final int[][] tokens = TinyModels.tokens(2, 6, cfg.dVocab(), 3);

    @ParameterizedTest
    @CsvSource({"scalar, false", "scalar, true", "cpu, false", "cpu, true"})
    void embeddingGradientMatchesFiniteDifferences(String backend, boolean everyHook) {
        HookedGpt2 model = Gpt2Assembly.load(cfg, weights, ProcessingOptions.none(), () -> null,
                Backends.byName(backend));
        LogitMetric metric = LogitMetric.meanLogProb(POS, TARGET);
        Tensor grad = everyHook
                ? model.runWithCache(tokens, NameFilter.all(), false, RunOptions.defaults(), metric).cache()
                        .get("hook_embed_grad")
                : model.gradients(tokens, RunOptions.defaults(), metric, List.of("hook_embed")).get("hook_embed");
        ReferenceGpt2 ref = new ReferenceGpt2(cfg, weights);
        double h = 1e-5;
        double worst = 0;
        double scale = 0;
        for (int b = 0; b < tokens.length; b++) {
            for (int p = 0; p < tokens[0].length; p++) {
                for (int i = 0; i < cfg.dModel(); i++) {
                    double fd = (metric(ref, b, p, i, h) - metric(ref, b, p, i, -h)) / (2 * h);
                    worst = Math.max(worst, Math.abs(grad.get(b, p, i) - fd));
                    scale = Math.max(scale, Math.abs(fd));
                }
            }
        }
        // float32 forward and backward measured 4e-7 to 8e-7 of the largest gradient (scalar, cpu; fused, unfused);
        // 1e-5 leaves 12x room, while a wrong derivative errs by a sizeable fraction of it
        assertTrue(scale > 1e-3, "the metric should depend on the embeddings; max |fd| " + scale);
        assertTrue(worst <= 1e-5 * scale, backend + (everyHook ? " unfused" : " fused") + ": max |grad - fd| "
                + worst + " vs max |fd| " + scale);
    }

    private double metric(ReferenceGpt2 ref, int b, int p, int i, double delta) {
        double[][][] d = new double[tokens.length][tokens[0].length][cfg.dModel()];
        d[b][p][i] = delta;
        double[][][] logits = ref.logits(tokens, null, d);
        double sum = 0;
        for (double[][] row : logits) {
            sum += row[POS][TARGET] - WeightProcessingFixtures.logSumExp(row[POS]);
        }
        return sum / logits.length;
    }
}
