// TL semantics of gradient runs: cache keys, backward hooks, forward hooks in the graph, and the bad inputs.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientRunTest {
    private final Gpt2Config cfg = TinyModels.config();
    private final HookedGpt2 model = Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));
    private final int[][] tokens = TinyModels.tokens(2, 6, cfg.dVocab(), 5);
    private final LogitMetric metric = LogitMetric.meanLogProb(4, 11);

    @Test
    void runWithCacheKeepsActivationsAndGradientsUnderTlNames() {
        ActivationCache cache = model.runWithCache(tokens, NameFilter.all(), false, RunOptions.defaults(), metric)
                .cache();
        List<String> fired = cache.keys().stream().filter(k -> !k.endsWith("_grad")).toList();
        assertEquals(2 * fired.size(), cache.size());
        for (String name : fired) { // every activation the run reached, with a gradient of its shape
            assertArrayEquals(cache.get(name).shape(), cache.get(name + "_grad").shape(), name);
        }
        // resid_mid = resid_pre + attn_out and resid_post = resid_mid + mlp_out pass the gradient on unchanged
        assertArrayEquals(cache.get("blocks.0.hook_resid_mid_grad").toArray(),
                cache.get("blocks.0.hook_attn_out_grad").toArray());
        assertArrayEquals(cache.get("blocks.1.hook_resid_post_grad").toArray(),
                cache.get("blocks.1.hook_mlp_out_grad").toArray());
        assertArrayEquals(cache.get("blocks.0.hook_resid_post_grad").toArray(),
                cache.get("blocks.1.hook_resid_pre_grad").toArray());
        // the metric reads position 4 only: nothing after it has a gradient, and position 4's is not 0
        Tensor resid = cache.get("blocks.1.hook_resid_pre_grad");
        assertEquals(0, absSum(resid.narrow(1, 5, 1)));
        assertTrue(absSum(resid.narrow(1, 4, 1)) > 0);
        assertArrayEquals(new int[] {6, 4, 8}, model.runWithCache(new int[][] {tokens[0]}, NameFilter.all(), true,
                RunOptions.defaults(), metric).cache().get("blocks.0.attn.hook_z_grad").shape());
    }

    @Test
    void recordingDoesNotChangeTheForward() {
        Gradients g = model.gradients(tokens, RunOptions.defaults(), metric, List.of("blocks.1.hook_resid_pre"));
        assertArrayEquals(model.forward(tokens).toArray(), g.output().logits().toArray());
        assertEquals(metric.value(model.forward(tokens)), g.metric());
    }

    @Test
    void backwardHooksObserveAndReplaceTheGradient() {
        List<Tensor> seen = new ArrayList<>();
        FwdHook observe = FwdHook.of("blocks.1.hook_resid_pre", (grad, hook) -> {
            seen.add(grad);
            return null;
        });
        Gradients plain = GradientRun.run(model, tokens, RunOptions.defaults(), metric,
                NameFilter.anyOf(List.of("hook_embed", "blocks.1.hook_resid_pre")), List.of(), List.of(),
                List.of(observe));
        assertArrayEquals(plain.get("blocks.1.hook_resid_pre").toArray(), seen.getFirst().toArray());
        assertTrue(absSum(plain.get("hook_embed")) > 0);
        // every path from the embeddings to the logits crosses resid_pre of block 1: zeroing there zeroes them
        FwdHook zero = FwdHook.of("blocks.1.hook_resid_pre", (grad, hook) -> Tensor.zeros(grad.shape()));
        Gradients cut = GradientRun.run(model, tokens, RunOptions.defaults(), metric, NameFilter.exact("hook_embed"),
                List.of(), List.of(), List.of(zero));
        assertEquals(0, absSum(cut.get("hook_embed")));
    }

    @Test
    void aForwardHookReplacementIsWhatTheGradientFlowsThrough() {
        // attn_out of block 0 replaced by a constant: nothing before it (its z) can move the metric any more
        FwdHook ablate = FwdHook.of("blocks.0.hook_attn_out", (act, hook) -> Tensor.zeros(act.shape()));
        Gradients g = GradientRun.run(model, tokens, RunOptions.defaults(), metric,
                NameFilter.anyOf(List.of("blocks.0.attn.hook_z", "blocks.0.hook_resid_mid")), List.of(),
                List.of(ablate), List.of());
        assertEquals(0, absSum(g.get("blocks.0.attn.hook_z")));
        assertTrue(absSum(g.get("blocks.0.hook_resid_mid")) > 0);
    }

    @Test
    void aMetricThatIgnoresTheLogitsHasZeroGradients() {
        Gradients g = model.gradients(tokens, RunOptions.defaults(), logits -> Tensor.scalar(3f),
                List.of("hook_embed", "blocks.0.attn.hook_pattern"));
        assertEquals(0, absSum(g.get("hook_embed")));
        assertEquals(0, absSum(g.get("blocks.0.attn.hook_pattern")));
    }

    @Test
    void badInputsAreNamed() {
        var stop = assertThrows(IllegalArgumentException.class, () -> model.gradients(tokens,
                RunOptions.defaults().stoppingAt(1), resid -> resid.mean(0).mean(0).mean(0),
                List.of("blocks.1.hook_resid_pre")));
        assertEquals("no gradient for blocks.1.hook_resid_pre: the run stops before block 1 (stop_at_layer 1)",
                stop.getMessage());
        var optional = assertThrows(IllegalArgumentException.class, () -> model.gradients(tokens,
                RunOptions.defaults(), metric, List.of("blocks.0.attn.hook_result")));
        assertTrue(optional.getMessage().contains("use_attn_result off"), optional.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> model.gradients(tokens,
                RunOptions.defaults(), metric, List.of("blocks.0.hook_resid_pree")));
        assertTrue(unknown.getMessage().contains("blocks.0.hook_resid_pre"), unknown.getMessage());
        var vector = assertThrows(IllegalArgumentException.class, () -> model.gradients(tokens,
                RunOptions.defaults(), logits -> logits.select(1, 0).select(1, 0), List.of("hook_embed")));
        assertTrue(vector.getMessage().contains("scalar output"), vector.getMessage());
        FwdHook wrongShape = FwdHook.of("blocks.0.hook_resid_pre", (grad, hook) -> Tensor.zeros(2, 6));
        var shape = assertThrows(IllegalStateException.class, () -> GradientRun.run(model, tokens,
                RunOptions.defaults(), metric, NameFilter.all(), List.of(), List.of(), List.of(wrongShape)));
        assertEquals("backward hook on blocks.0.hook_resid_pre returned shape [2, 6] but the gradient has shape"
                + " [2, 6, 32]; return null to observe or a tensor of the same shape to replace", shape.getMessage());
    }

    private static double absSum(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) {
            s += Math.abs(v);
        }
        return s;
    }
}
