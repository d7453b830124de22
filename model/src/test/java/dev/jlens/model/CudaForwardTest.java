// The whole GPT-2 forward on the cuda backend against the cpu backend; skipped (with the reason) without a GPU.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.RandomWeights;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Logits (and one hooked activation) from the same weights and tokens, built and run under cuda and under cpu,
 * must agree within 1e-3 (fp32 on both; TF32 stays off unless -Djlens.cuda.tf32=true, which this test refuses).
 */
class CudaForwardTest {
    private static final double LOGIT_ATOL = 1e-3;

    private Backend cuda;
    private Backend cpu;

    @BeforeEach
    void gpu() {
        cuda = Backends.all().stream().filter(b -> b.name().equals("cuda")).findFirst().orElseThrow();
        assumeTrue(cuda.unavailableReason() == null, () -> "CUDA not available: " + cuda.unavailableReason());
        assumeTrue(!Boolean.getBoolean("jlens.cuda.tf32"), "TF32 is on; this comparison needs full fp32 GEMMs");
        cpu = Backends.byName("cpu");
    }

    @Test
    void tinyModelLogitsMaskedLogitsAndPatternsMatchTheCpu() {
        Gpt2Config cfg = TinyModels.config();
        StateDict weights = TinyModels.weights(cfg);
        int[][] tokens = TinyModels.tokens(2, 9, cfg.dVocab(), 7);
        int[][] mask = {{0, 0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
        compare("logits", cfg, weights, m -> m.forward(tokens));
        compare("masked logits", cfg, weights,
                m -> m.forward(tokens, RunOptions.defaults().withAttentionMask(mask)).logits());
        compare("blocks.1.attn.hook_pattern", cfg, weights, m -> m.runWithCache(tokens).cache().get("pattern", 1));
    }

    @Test
    void gpt2SmallShapedLogitsMatchTheCpu() {
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        StateDict weights = RandomWeights.stateDict(cfg, 5);
        int[][] tokens = TinyModels.tokens(2, 33, cfg.dVocab(), 11);
        compare("gpt2-shaped logits", cfg, weights, m -> m.forward(tokens));
    }

    private void compare(String what, Gpt2Config cfg, StateDict weights, Function<HookedGpt2, Tensor> run) {
        float[] want = on(cpu, cfg, weights, run);
        float[] got = on(cuda, cfg, weights, run);
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs((double) want[i] - got[i]));
        }
        assertTrue(max <= LOGIT_ATOL, what + ": max |cuda - cpu| " + max + " > " + LOGIT_ATOL);
    }

    private static float[] on(Backend backend, Gpt2Config cfg, StateDict weights, Function<HookedGpt2, Tensor> run) {
        try (Backends.Scope s = Backends.use(backend)) {
            return run.apply(Gpt2Assembly.fromStateDict(cfg, weights)).toArray();
        }
    }
}
