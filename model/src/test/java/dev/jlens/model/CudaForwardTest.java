// The whole GPT-2 forward on the cuda backend against the cpu backend; skipped (with the reason) without a GPU.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jlens.kernels.cuda.SimulatedContext;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.RandomWeights;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.DeviceStorage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Logits (and one hooked activation) from the same weights and tokens, built and run under cuda and under cpu,
 * must agree within 1e-3, scaled by max |cpu value| where that exceeds 1 (fp32 on both; TF32 stays off unless
 * -Djlens.cuda.tf32=true, which this test refuses). scripts/device-check.sh also passes the GPT-2-small-shaped
 * checkpoint it makes with numpy ({@code -Djlens.test.checkpoint=DIR}).
 * The GPU tests are skipped with the reason without one; the same tiny-model comparison also runs on kernels'
 * simulated device everywhere, which covers the backend's Java side through a whole hooked forward.
 */
class CudaForwardTest {
    private static final double LOGIT_ATOL = 1e-3;

    private final Backend cpu = Backends.byName("cpu");

    private static Backend gpu() {
        Backend cuda = Backends.all().stream().filter(b -> b.name().equals("cuda")).findFirst().orElseThrow();
        assumeTrue(cuda.unavailableReason() == null, () -> "CUDA not available: " + cuda.unavailableReason());
        assumeTrue(!Boolean.getBoolean("jlens.cuda.tf32"), "TF32 is on; this comparison needs full fp32 GEMMs");
        return cuda;
    }

    @Test
    void tinyModelLogitsMaskedLogitsAndPatternsMatchTheCpu() {
        tinyModel(gpu());
    }

    @Test
    void tinyModelOnTheSimulatedDeviceMatchesTheCpu() {
        tinyModel(SimulatedContext.backend());
    }

    @Test
    void gpt2SmallShapedLogitsMatchTheCpu() {
        Backend cuda = gpu();
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        StateDict weights = RandomWeights.stateDict(cfg, 5);
        int[][] tokens = TinyModels.tokens(2, 33, cfg.dVocab(), 11);
        compare(cuda, "gpt2-shaped logits", cfg, weights, m -> m.forward(tokens));
    }

    @Test
    void checkpointLogitsMatchTheCpu() {
        Backend cuda = gpu();
        String dir = System.getProperty("jlens.test.checkpoint");
        assumeTrue(dir != null, "no -Djlens.test.checkpoint=DIR (scripts/device-check.sh passes its numpy checkpoint)");
        int[][] tokens = TinyModels.tokens(4, 64, Gpt2Config.preset("gpt2").dVocab(), 13);
        compare(cuda, "logits of " + dir, () -> Pretrained.load(dir, ProcessingOptions.defaults()),
                m -> m.forward(tokens));
    }

    private void tinyModel(Backend cuda) {
        Gpt2Config cfg = TinyModels.config();
        StateDict weights = TinyModels.weights(cfg);
        int[][] tokens = TinyModels.tokens(2, 9, cfg.dVocab(), 7);
        int[][] mask = {{0, 0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
        try (Backends.Scope s = Backends.use(cuda)) {
            assertInstanceOf(DeviceStorage.class, Gpt2Assembly.fromStateDict(cfg, weights).forward(tokens).storage(),
                    "logits should come back resident on the device");
        }
        compare(cuda, "logits", cfg, weights, m -> m.forward(tokens));
        compare(cuda, "masked logits", cfg, weights,
                m -> m.forward(tokens, RunOptions.defaults().withAttentionMask(mask)).logits());
        compare(cuda, "blocks.1.attn.hook_pattern", cfg, weights,
                m -> m.runWithCache(tokens).cache().get("pattern", 1));
    }

    private void compare(Backend cuda, String what, Gpt2Config cfg, StateDict weights,
                         Function<HookedGpt2, Tensor> run) {
        compare(cuda, what, () -> Gpt2Assembly.fromStateDict(cfg, weights), run);
    }

    /** max |cuda - cpu| <= 1e-3 * max(1, max |cpu|), the model built under each backend. */
    private void compare(Backend cuda, String what, Supplier<HookedGpt2> model, Function<HookedGpt2, Tensor> run) {
        float[] want = on(cpu, model, run);
        float[] got = on(cuda, model, run);
        double max = 0;
        double scale = 1;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs((double) want[i] - got[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        assertTrue(want.length > 0 && max <= LOGIT_ATOL * scale, what + " on " + cuda.describe()
                + ": max |cuda - cpu| " + max + " > " + LOGIT_ATOL + " x " + scale);
    }

    private static float[] on(Backend backend, Supplier<HookedGpt2> model, Function<HookedGpt2, Tensor> run) {
        try (Backends.Scope s = Backends.use(backend)) {
            return run.apply(model.get()).toArray();
        }
    }
}
