// The hooked forward against an independent float64 reference, and hook, cache, loss and input semantics.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Close;
import dev.jlens.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HookedGpt2Test {
    private static final double LOGIT_ATOL = 1e-4; // fp32 engine vs float64 reference (DESIGN.md)

    private final Gpt2Config cfg = TinyModels.config();
    private final StateDict weights = TinyModels.weights(cfg);
    private final HookedGpt2 model = Gpt2Assembly.fromStateDict(cfg, weights);
    private final int[][] tokens = TinyModels.tokens(2, 9, cfg.dVocab(), 7);

    /** Logits [b, p, v] within LOGIT_ATOL of the float64 reference's, elementwise. */
    private static void assertMatchesReference(String what, double[][][] want, Tensor got) {
        int[] shape = {want.length, want[0].length, want[0][0].length};
        assertArrayEquals(shape, got.shape(), what + ": logits shape");
        float[] g = got.toArray();
        Close.assertClose(what + ": logits vs reference", shape,
                i -> want[i / (shape[1] * shape[2])][i / shape[2] % shape[1]][i % shape[2]], i -> g[i], 0, LOGIT_ATOL);
    }

    @Test
    void attentionIsSharpEnoughForTheReferenceComparisonToMean() {
        Tensor pattern = model.runWithCache(tokens).cache().get("pattern", 0);
        assertTrue(pattern.max(-1).select(0, 0).select(0, 0).get(8) > 0.5, "last query's top weight is above 1/2");
    }

    @Test
    void logitsMatchTheFloat64Reference() {
        assertMatchesReference("LN", new ReferenceGpt2(cfg, weights).logits(tokens, null), model.forward(tokens));
    }

    @Test
    void logitsMatchTheReferenceForLnPreAndForAttentionOnlyWithoutNorm() {
        Gpt2Config pre = cfg.withNormalizationType(NormalizationType.LN_PRE);
        assertMatchesReference("LNPre", new ReferenceGpt2(pre, weights).logits(tokens, null),
                Gpt2Assembly.fromStateDict(pre, weights).forward(tokens));
        Gpt2Config bare = cfg.withNormalizationType(NormalizationType.NONE).withAttnOnly(true);
        StateDict w = TinyModels.weights(bare);
        assertMatchesReference("attn-only, no norm", new ReferenceGpt2(bare, w).logits(tokens, null),
                Gpt2Assembly.fromStateDict(bare, w).forward(tokens));
    }

    @Test
    void leftPaddingWithAMaskMatchesTheReference() {
        int[][] mask = {{0, 0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
        Tensor got = model.forward(tokens, RunOptions.defaults().withAttentionMask(mask)).logits();
        assertMatchesReference("masked", new ReferenceGpt2(cfg, weights).logits(tokens, mask), got);
    }

    @Test
    void identityHooksEverywhereChangeNothing() {
        Tensor plain = model.forward(tokens);
        Tensor hooked = model.runWithHooks(tokens, List.of(FwdHook.of(NameFilter.all(), (act, hook) -> act.copy())));
        assertTrue(plain.maxAbsDiff(hooked) <= 1e-5, "max diff " + plain.maxAbsDiff(hooked));
    }

    @Test
    void runWithCacheKeepsTheDefaultHooksInFiringOrder() {
        CachedRun run = model.runWithCache(tokens);
        ActivationCache cache = run.cache();
        assertEquals(2 + cfg.nLayers() * 17 + 2, cache.size()); // TL: 208 keys for GPT-2 small
        List<String> keys = List.copyOf(cache.keys());
        assertEquals(List.of("hook_embed", "hook_pos_embed", "blocks.0.hook_resid_pre", "blocks.0.ln1.hook_scale",
                "blocks.0.ln1.hook_normalized", "blocks.0.attn.hook_q", "blocks.0.attn.hook_k", "blocks.0.attn.hook_v",
                "blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_pattern", "blocks.0.attn.hook_z",
                "blocks.0.hook_attn_out", "blocks.0.hook_resid_mid", "blocks.0.ln2.hook_scale",
                "blocks.0.ln2.hook_normalized", "blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post",
                "blocks.0.hook_mlp_out", "blocks.0.hook_resid_post"), keys.subList(0, 19));
        assertArrayEquals(new int[] {2, 4, 9, 9}, cache.get("pattern", 1).shape());
        assertArrayEquals(new int[] {2, 9, 4, 8}, cache.get("z", 0, "attn").shape());
        assertArrayEquals(new int[] {2, 9, 1}, cache.get("scale").shape());
        assertTrue(run.output().logits().maxAbsDiff(model.forward(tokens)) <= 1e-5);
        Tensor pattern = cache.get("pattern", 0);
        assertEquals(0f, pattern.get(1, 2, 3, 4), "causal: query 3 cannot see key 4");
        assertEquals(1.0, pattern.select(0, 0).select(0, 1).select(0, 5).sum(0).item(), 1e-5);
    }

    @Test
    void zeroingAHeadsZEqualsZeroingItsOutputWeights() {
        Tensor ablated = model.runWithHooks(tokens, List.of(FwdHook.of("blocks.1.attn.hook_z", (z, hook) -> {
            Tensor copy = z.copy();
            copy.select(2, 3).fill(0f);
            return copy;
        })));
        StateDict cut = TinyModels.weights(cfg);
        cut.put("blocks.1.attn.W_O", cut.get("blocks.1.attn.W_O").copy());
        cut.get("blocks.1.attn.W_O").select(0, 3).fill(0f);
        assertMatchesReference("head ablation", new ReferenceGpt2(cfg, cut).logits(tokens, null), ablated);
    }

    @Test
    void optionalHookPointsFireWithTheirShapesAndChangeNoLogits() {
        Gpt2Config all = cfg.withHooks(true, true, true, true);
        HookedGpt2 hooked = Gpt2Assembly.fromStateDict(all, weights);
        CachedRun run = hooked.runWithCache(tokens);
        assertTrue(run.output().logits().maxAbsDiff(model.forward(tokens)) <= 1e-5);
        assertArrayEquals(new int[] {2, 9, 4, 32}, run.cache().get("blocks.1.attn.hook_result").shape());
        assertArrayEquals(new int[] {2, 9, 4, 32}, run.cache().get("blocks.0.hook_attn_in").shape());
        assertArrayEquals(new int[] {2, 9, 4, 32}, run.cache().get("blocks.0.hook_k_input").shape());
        assertArrayEquals(new int[] {2, 9, 4, 1}, run.cache().get("scale", 0, "ln1").shape());
        assertArrayEquals(new int[] {2, 9, 32}, run.cache().get("blocks.1.hook_mlp_in").shape());
        Tensor bO = weights.get("blocks.1.attn.b_O");
        Tensor summed = run.cache().get("blocks.1.attn.hook_result").sum(2).add(bO);
        assertTrue(summed.maxAbsDiff(run.cache().get("attn_out", 1)) <= 1e-5, "sum of head results + b_O");
    }

    @Test
    void patchingOneHeadsQueryInputChangesOnlyThatHead() {
        Gpt2Config split = cfg.withHooks(false, false, true, false);
        HookedGpt2 hooked = Gpt2Assembly.fromStateDict(split, weights);
        Tensor q0 = hooked.runWithCache(tokens).cache().get("q", 0);
        try (var scope = hooked.hooks(List.of(FwdHook.of("blocks.0.hook_q_input", (act, hook) -> {
            Tensor copy = act.copy();
            copy.select(2, 1).fill(0f); // head 1's query input := 0
            return copy;
        })))) {
            Tensor q = hooked.runWithCache(tokens).cache().get("q", 0);
            assertTrue(q.select(2, 0).maxAbsDiff(q0.select(2, 0)) == 0, "head 0 untouched");
            assertTrue(q.select(2, 1).maxAbsDiff(q0.select(2, 1)) > 1e-3, "head 1 changed");
        }
    }

    @Test
    void stopAndStartAtLayerSplitTheForward() {
        Tensor resid = model.forward(tokens, RunOptions.defaults().stoppingAt(1)).residual();
        Tensor cached = model.runWithCache(tokens).cache().get("resid_pre", 1);
        assertTrue(resid.maxAbsDiff(cached) <= 1e-6);
        Tensor resumed = model.forward(tokens, RunOptions.defaults().startingAt(1, resid)).logits();
        assertTrue(resumed.maxAbsDiff(model.forward(tokens)) <= 1e-6);
    }

    @Test // catches a resumed block that skips b_O, the MLP or the residual, or reads z in the wrong layout
    void aBlockResumedFromItsCachedZGivesItsResidPost() {
        HookedGpt2 withResult = Gpt2Assembly.fromStateDict(cfg.withHooks(true, false, false, true), weights);
        for (HookedGpt2 m : List.of(model, withResult)) { // hook_result and hook_mlp_in take other code paths
            ActivationCache cache = m.runWithCache(tokens).cache();
            for (int layer = 0; layer < cfg.nLayers(); layer++) {
                Tensor resumed = m.blockForwardFromZ(layer, cache.get("resid_pre", layer).narrow(1, 3, 6),
                        cache.get("z", layer).narrow(1, 3, 6));
                Tensor want = cache.get("resid_post", layer).narrow(1, 3, 6);
                assertTrue(resumed.maxAbsDiff(want) <= 1e-6, m + " layer " + layer + ": " + resumed.maxAbsDiff(want));
            }
        }
        fails(() -> model.blockForwardFromZ(0, Tensor.zeros(2, 4, 32), Tensor.zeros(2, 3, 4, 8)), "z must be",
                "[2, 4, 4, 8]", "[2, 3, 4, 8]");
        fails(() -> model.blockForwardFromZ(2, Tensor.zeros(2, 4, 32), Tensor.zeros(2, 4, 4, 8)), "layer 2");
    }

    @Test
    void lossIsTheMeanNextTokenNegativeLogLikelihood() {
        ModelOutput out = model.forward(tokens, RunOptions.defaults().returning(ReturnType.BOTH));
        double sum = 0;
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < 8; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < cfg.dVocab(); v++) {
                    max = Math.max(max, out.logits().get(b, p, v));
                }
                double z = 0;
                for (int v = 0; v < cfg.dVocab(); v++) {
                    z += Math.exp(out.logits().get(b, p, v) - max);
                }
                sum += max + Math.log(z) - out.logits().get(b, p, tokens[b][p + 1]);
            }
        }
        assertEquals(sum / 16, out.loss().item(), 1e-5);
        Tensor perToken = model.forward(tokens, RunOptions.defaults().returning(ReturnType.LOSS).perTokenLoss(true))
                .loss();
        assertArrayEquals(new int[] {2, 8}, perToken.shape());
        assertEquals(sum / 16, perToken.sum(1).sum(0).item() / 16, 1e-5);
    }

    private static void fails(Executable op, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, op).getMessage();
        for (String f : fragments) {
            assertTrue(message.contains(f), "message lacks '" + f + "': " + message);
        }
    }

    @Test
    void badInputsNameTheProblem() {
        fails(() -> model.forward(new int[][] {{1, 97}}), "token id 97", "[0, 1]", "vocab size 97");
        fails(() -> model.forward(new int[][] {{1, -1}}), "token id -1");
        fails(() -> model.forward(new int[1][25]), "25 tokens", "n_ctx 24");
        fails(() -> model.forward(new int[][] {{1, 2}, {3}}), "row 1", "attention mask");
        fails(() -> model.runWithHooks(tokens, List.of(FwdHook.of("blocks.0.attn.hook_paterns", (a, h) -> null))),
                "blocks.0.attn.hook_paterns", "blocks.0.attn.hook_pattern");
        fails(() -> model.forward(tokens, RunOptions.defaults().startingAt(1, Tensor.zeros(2, 9, 31))),
                "start_at_layer 1", "[2, 9, 31]");
    }

    @Test
    void aHookReturningTheWrongShapeIsNamedAndRemoved() {
        float[] before = model.forward(tokens).toArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.runWithHooks(tokens,
                List.of(FwdHook.of("blocks.0.hook_resid_mid", (a, h) -> a.narrow(1, 0, 3)))));
        assertTrue(e.getMessage().contains("blocks.0.hook_resid_mid") && e.getMessage().contains("[2, 3, 32]"),
                e.getMessage());
        assertTrue(!model.hookPoint("blocks.0.hook_resid_mid").hasHooks());
        assertArrayEquals(before, model.forward(tokens).toArray(), "the failed run left nothing behind");
    }
}
