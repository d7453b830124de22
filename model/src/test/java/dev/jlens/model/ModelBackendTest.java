// The model holds its backend: its runs compute there whatever the thread's current backend, and to() re-prepares once.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.kernels.cpu.PackedMatrix;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelBackendTest {
    private final Backend scalar = Backends.byName("scalar");
    private final Backend cpu = Backends.byName("cpu");
    private final Gpt2Config cfg = TinyModels.config();
    private final StateDict weights = TinyModels.weights(cfg);
    private final int[][] tokens = TinyModels.tokens(2, 7, cfg.dVocab(), 3);

    private HookedGpt2 on(Backend backend) {
        return Gpt2Assembly.load(cfg, weights, ProcessingOptions.none(), () -> null, backend);
    }

    @Test
    void runsComputeOnTheModelsBackendWhateverIsCurrent() {
        HookedGpt2 model = on(scalar);
        assertSame(scalar, model.backend());
        float[] onScalarThread;
        try (Backends.Scope s = Backends.use(scalar)) {
            onScalarThread = model.forward(tokens).toArray();
        }
        float[] onCpuThread;
        try (Backends.Scope s = Backends.use(cpu)) {
            onCpuThread = model.forward(tokens).toArray();
        }
        assertTrue(Arrays.equals(onScalarThread, onCpuThread), "a run used the thread's backend, not the model's");
        float[] cpuModel = on(cpu).forward(tokens).toArray(); // the two backends round differently: the check can fail
        assertTrue(!Arrays.equals(onScalarThread, cpuModel),
                "scalar and cpu agree to the bit; the test proves nothing");
    }

    @Test
    void toPreparesTheWeightsOnceForTheTarget() {
        HookedGpt2 model = on(scalar);
        HookedGpt2 moved = model.to(cpu);
        assertSame(cpu, moved.backend());
        assertSame(moved, moved.to(cpu));
        assertTrue(moved.weights().get("blocks.0.mlp.W_in").storage() instanceof PackedMatrix);
        assertNotEquals(PackedMatrix.class, model.weights().get("blocks.0.mlp.W_in").storage().getClass());
        Tensor want = model.forward(tokens);
        assertTrue(moved.forward(tokens).maxAbsDiff(want) <= 1e-5, "moved model's logits differ");
    }

    @Test
    void aTiedEmbeddingReadsThePackedUnembeddingAndGivesTheSameLogits() {
        StateDict tied = weights.copy(weights.source());
        tied.put("unembed.W_U", weights.get("embed.W_E").transpose(0, 1)); // as HfGpt2Keys maps a tied checkpoint
        StateDict untied = tied.copy(tied.source());
        untied.put("unembed.W_U", tied.get("unembed.W_U").contiguous());
        HookedGpt2 shared = Gpt2Assembly.load(cfg, tied, ProcessingOptions.none(), () -> null, cpu);
        HookedGpt2 separate = Gpt2Assembly.load(cfg, untied, ProcessingOptions.none(), () -> null, cpu);
        assertSame(shared.weights().get("unembed.W_U").storage(), shared.weights().get("embed.W_E").storage());
        assertNotEquals(separate.weights().get("unembed.W_U").storage(), separate.weights().get("embed.W_E").storage());
        assertTrue(Arrays.equals(separate.forward(tokens).toArray(), shared.forward(tokens).toArray()));
    }

    @Test
    void eachWeightIsHeldOnceAndItsViewsShareThePreparedStorage() {
        StateDict w = on(cpu).weights();
        for (int l = 0; l < cfg.nLayers(); l++) {
            String p = "blocks." + l + ".attn.";
            assertTrue(w.get(p + "W_Q").storage() instanceof PackedMatrix, "W_Q reads the packed q|k|v matrix");
            assertSame(w.get(p + "W_Q").storage(), w.get(p + "W_K").storage());
            assertSame(w.get(p + "W_Q").storage(), w.get(p + "W_V").storage());
            assertTrue(w.get(p + "W_O").storage() instanceof PackedMatrix);
        }
        for (String key : weights.keys()) {
            if (weights.get(key).rank() >= 2) { // views of the prepared form hold the loaded values exactly
                assertEquals(0.0, w.get(key).maxAbsDiff(weights.get(key)), key);
            }
        }
    }
}
