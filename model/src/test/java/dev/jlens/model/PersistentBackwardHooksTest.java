// Persistent backward hooks (TL add_hook(name, hook, dir="bwd")): semantics against PyTorch's full backward hooks,
// model-wide in every gradient run, removed by resetHooks, invisible to forwards, safe under concurrent runs.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookDir;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.HookHandle;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchType;
import dev.jlens.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PersistentBackwardHooksTest {
    private static final String POINT = "blocks.0.hook_resid_mid";
    private static final List<String> GRADS = List.of("hook_embed", "blocks.0.hook_resid_pre", POINT,
            "blocks.1.hook_resid_pre");
    /** The fixture's "by_pos": the gradient at position p times p + 1. */
    private static final HookFn BY_POS = (grad, hook) -> {
        float[] factor = new float[grad.size(1)];
        for (int p = 0; p < factor.length; p++) {
            factor[p] = p + 1;
        }
        return grad.mul(Tensor.of(factor, 1, factor.length, 1));
    };
    /** The fixture's "times3". */
    private static final HookFn TIMES3 = (grad, hook) -> grad.scale(3f);

    private final Gpt2Config cfg = TinyModels.config();
    private final HookedGpt2 tiny = Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));
    private final int[][] tokens = TinyModels.tokens(2, 6, cfg.dVocab(), 5);
    private final LogitMetric metric = LogitMetric.meanLogProb(4, 11);

    @Test
    void aPersistentBackwardHookMatchesTransformerLensInPytorch() throws Exception {
        TorchGradientFixture f = TorchGradientFixture.load();
        HookedGpt2 model = f.model("cpu");
        Path goldens = f.dir().resolveSibling("torch-bwd-hooks");
        try (HookHandle h = model.addHook(POINT, BY_POS, HookDir.BWD)) {
            Gradients g = model.gradients(f.tokens(), RunOptions.defaults(), f.metric(), GRADS);
            for (String name : GRADS) { // the kept gradient at the hooked point is the arriving one, as in TL
                TorchGradientFixture.assertClose(goldens.resolve("by_pos/" + name + ".npy"), g.get(name), name);
            }
        }
        // persistent (by filter) first, then the run's own; every hook sees the arriving gradient, the last wins
        model.addHook(NameFilter.exact(POINT), BY_POS, HookDir.BWD);
        Gradients g = GradientRun.run(model, f.tokens(), RunOptions.defaults(), f.metric(), NameFilter.anyOf(GRADS),
                GRADS, List.of(), List.of(FwdHook.of(POINT, TIMES3)));
        for (String name : GRADS) {
            TorchGradientFixture.assertClose(goldens.resolve("by_pos_then_times3/" + name + ".npy"), g.get(name),
                    name);
        }
    }

    @Test
    void resetHooksRemovesThemAndForwardsNeverSeeThem() {
        float[] plain = tiny.gradients(tokens, RunOptions.defaults(), metric, List.of("hook_embed")).get("hook_embed")
                .toArray();
        float[] logits = tiny.forward(tokens).toArray();
        tiny.addHook(POINT, TIMES3, HookDir.BWD);
        tiny.addPermaHook("blocks.1.hook_resid_pre", (grad, hook) -> {
            throw new AssertionError("a forward ran a backward hook");
        }, HookDir.BWD);
        tiny.resetHooks(false); // removes the temporary one, keeps the permanent one
        assertFalse(tiny.hookPoint("blocks.1.hook_resid_pre").hasHooks()); // so forwards stay on the fused path
        assertArrayEquals(logits, tiny.forward(tokens).toArray());
        tiny.resetHooks(true);
        assertArrayEquals(plain, tiny.gradients(tokens, RunOptions.defaults(), metric, List.of("hook_embed"))
                .get("hook_embed").toArray());
    }

    @Test
    void runWithCacheAndAttributionRunThem() {
        String embedGrad = "hook_embed_grad";
        tiny.addHook(POINT, TIMES3, HookDir.BWD);
        float[] hooked = tiny.gradients(tokens, RunOptions.defaults(), metric, List.of("hook_embed")).get("hook_embed")
                .toArray();
        assertArrayEquals(hooked, tiny.runWithCache(tokens, NameFilter.exact("hook_embed"), false,
                RunOptions.defaults(), metric).cache().get(embedGrad).toArray());
        int[][] corrupted = TinyModels.tokens(2, 6, cfg.dVocab(), 6);
        tiny.resetHooks(false);
        Tensor plain = AttributionPatching.actPatch(tiny, tokens, corrupted, metric, PatchType.RESID_PRE);
        // all of block 0's paths to the logits cross its resid_mid: a zero gradient there leaves only the baseline
        tiny.addHook(POINT, (grad, hook) -> Tensor.zeros(grad.shape()), HookDir.BWD);
        Tensor cut = AttributionPatching.actPatch(tiny, tokens, corrupted, metric, PatchType.RESID_PRE);
        float base = metric.value(tiny.forward(corrupted));
        for (float v : cut.select(0, 0).toArray()) {
            assertEquals(base, v);
        }
        assertNotEquals(0.0, plain.select(0, 0).maxAbsDiff(cut.select(0, 0)));
        assertArrayEquals(plain.select(0, 1).toArray(), cut.select(0, 1).toArray());
    }

    @Test
    void concurrentGradientRunsAllSeeAPersistentBackwardHook() throws Exception {
        tiny.addHook(POINT, TIMES3, HookDir.BWD);
        float[] want = tiny.gradients(tokens, RunOptions.defaults(), metric, List.of("hook_embed")).get("hook_embed")
                .toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> tiny.gradients(tokens, RunOptions.defaults(), metric,
                        List.of("hook_embed")).get("hook_embed").toArray()));
            }
            for (Future<float[]> run : runs) {
                assertArrayEquals(want, run.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
