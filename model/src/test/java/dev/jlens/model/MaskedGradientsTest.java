// Gradients of a left-padded, masked batch (TL: attention_mask): row by row those of each prompt run alone, and
// exactly zero at the pads, which nothing real reads. (A real query's pattern entry at a pad key is 0 but its
// gradient, gz[q] . v[k], is not: patching it would matter, so it is compared with nothing here.)
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaskedGradientsTest {
    private static final List<String> HOOKS = List.of("hook_embed", "hook_pos_embed", "blocks.0.attn.hook_k",
            "blocks.0.attn.hook_pattern", "blocks.1.hook_resid_pre", "blocks.1.attn.hook_v", "blocks.1.mlp.hook_post",
            "ln_final.hook_normalized");
    /**
     * The padded batch's gradients are those of each prompt alone up to float32 rounding (the kernels' sums may
     * split differently at another batch shape): 1e-5 of the largest |gradient|, ~100x float32 epsilon.
     */
    private static final double TOLERANCE = 1e-5;

    private final Gpt2Config cfg = TinyModels.config();
    private final HookedGpt2 model = Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));

    @ParameterizedTest
    @ValueSource(ints = {-1, -3})
    void aPaddedBatchHasEachPromptsGradientsAndNoneAtThePads(int pos) {
        int[][] prompts = {TinyModels.tokens(1, 4, cfg.dVocab(), 8)[0], TinyModels.tokens(1, 7, cfg.dVocab(), 9)[0]};
        int[][] padded = {{0, 0, 0, prompts[0][0], prompts[0][1], prompts[0][2], prompts[0][3]}, prompts[1]};
        int[][] mask = {{0, 0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1}};
        LogitMetric metric = LogitMetric.meanLogProb(pos, 11);
        Gradients batch = model.gradients(padded, RunOptions.defaults().withAttentionMask(mask), metric, HOOKS);
        double metricSum = 0;
        for (int b = 0; b < 2; b++) {
            int pads = 7 - prompts[b].length;
            Gradients alone = model.gradients(new int[][] {prompts[b]}, RunOptions.defaults(), metric, HOOKS);
            metricSum += alone.metric();
            for (String name : HOOKS) {
                Tensor row = batch.get(name).narrow(0, b, 1);
                Tensor want = alone.get(name).scale(0.5f); // the batch's metric is the mean of two prompts'
                Tensor got = name.endsWith("hook_pattern") ? row.narrow(2, pads, prompts[b].length)
                        .narrow(3, pads, prompts[b].length) : row.narrow(1, pads, prompts[b].length);
                double scale = maxAbs(want);
                assertTrue(scale > 0 && got.maxAbsDiff(want) <= TOLERANCE * scale, name + " row " + b + ": "
                        + got.maxAbsDiff(want) + " vs max " + scale);
                if (pads > 0) { // the pads' activations (pattern: the pads' query rows) reach no real position
                    Tensor atPads = name.endsWith("hook_pattern") ? row.narrow(2, 0, pads) : row.narrow(1, 0, pads);
                    assertEquals(0, maxAbs(atPads), name + " at the pads of row " + b);
                }
            }
        }
        assertEquals(metricSum / 2, batch.metric(), 1e-5);
    }

    @Test
    void runWithCacheInclBwdTakesTheMask() {
        int[][] padded = {{0, 0, 5, 6, 7}, {1, 2, 3, 4, 5}};
        int[][] mask = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};
        RunOptions options = RunOptions.defaults().withAttentionMask(mask);
        LogitMetric metric = LogitMetric.meanLogProb(-1, 11);
        Tensor cached = model.runWithCache(padded, NameFilter.exact("blocks.0.hook_resid_pre"), false, options,
                metric).cache().get("blocks.0.hook_resid_pre_grad");
        Tensor direct = model.gradients(padded, options, metric, List.of("blocks.0.hook_resid_pre"))
                .get("blocks.0.hook_resid_pre");
        assertEquals(0, cached.maxAbsDiff(direct));
        assertEquals(0, maxAbs(cached.narrow(0, 0, 1).narrow(1, 0, 2)));
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
