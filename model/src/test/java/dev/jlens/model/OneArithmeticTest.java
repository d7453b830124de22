// One arithmetic (issue 16): observing a hook point changes no bit; replacing or editing one continues as TL does.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import java.util.List;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Bit identity of forward, runWithHooks observing every hook point and runWithCache on the random GPT-2-small-shaped
 * checkpoint (raw and processed, left-padded), induction-2l and the tiny test model, also through a KV-cached
 * generation; and replacements and in-place edits of hook_attn_scores, hook_pattern and hook_scale against the
 * float64 reference ({@link ReferenceGpt2}) making the same edit, as TL's forward would consume it.
 */
class OneArithmeticTest {
    private static final double LOGIT_ATOL = 1e-4; // fp32 engine vs float64 reference (DESIGN.md)
    private static final HookFn OBSERVE = (act, hook) -> null;

    private final Gpt2Config cfg = TinyModels.config();
    private final StateDict weights = TinyModels.weights(cfg);
    private final HookedGpt2 tiny = Gpt2Assembly.fromStateDict(cfg, weights);
    private final int[][] tokens = TinyModels.tokens(2, 9, cfg.dVocab(), 7);

    @Test
    void observingEveryHookPointChangesNoBitOfTheRandomGpt2SmallShape() throws Exception {
        String folder = PythonFixtures.checkpoint("gpt2").toString();
        int[][] toks = TinyModels.tokens(2, 12, 50257, 3);
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
        for (ProcessingOptions processing : List.of(ProcessingOptions.none(), ProcessingOptions.defaults())) {
            HookedGpt2 model = Pretrained.load(folder, processing);
            assertObservingChangesNoBit(model, toks, RunOptions.defaults().withAttentionMask(mask));
        }
    }

    @Test
    void observingEveryHookPointChangesNoBitOfInduction2lAndTheTinyModel() {
        HookedGpt2 induction = BuiltinModels.load("induction-2l");
        assertObservingChangesNoBit(induction, TinyModels.tokens(3, 20, 50257, 5), RunOptions.defaults());
        assertObservingChangesNoBit(tiny, tokens, RunOptions.defaults());
        int[][] mask = {{0, 0, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
        assertObservingChangesNoBit(tiny, tokens, RunOptions.defaults().withAttentionMask(mask));
    }

    private static void assertObservingChangesNoBit(HookedGpt2 model, int[][] toks, RunOptions options) {
        float[] plain = model.forward(toks, options).logits().toArray();
        float[] observed = model.runWithHooks(toks, List.of(FwdHook.of(NameFilter.all(), OBSERVE)), options)
                .logits().toArray();
        float[] cached = model.runWithCache(toks, NameFilter.all(), false, options).output().logits().toArray();
        assertArrayEquals(plain, observed, "forward vs runWithHooks observing every hook point");
        assertArrayEquals(plain, cached, "forward vs runWithCache");
    }

    @Test
    void kvCachedGenerationObservingOrEditingThePatternMatchesTheFullForward() {
        GenerateOptions greedy = GenerateOptions.defaults().greedy().maxNewTokens(8).stopAtEos(false);
        int[][] prompt = {{5, 17, 33, 2, 61}};
        FwdHook observe = FwdHook.of(NameFilter.endsWith("hook_pattern"), OBSERVE);
        FwdHook zeroHead = FwdHook.of("blocks.0.attn.hook_pattern", (p, hook) -> {
            p.select(1, 1).fill(0); // in place, returning null
            return null;
        });
        Generated plain = tiny.generate(prompt, null, greedy.hooks(List.of()).useKvCache(true));
        for (FwdHook hook : List.of(observe, zeroHead)) {
            Generated cached = tiny.generate(prompt, null, greedy.hooks(List.of(hook)).useKvCache(true));
            Generated full = tiny.generate(prompt, null, greedy.hooks(List.of(hook)).useKvCache(false));
            assertArrayEquals(full.newTokens()[0], cached.newTokens()[0], hook.name());
            if (hook == observe) {
                assertArrayEquals(plain.newTokens()[0], cached.newTokens()[0], "observing changes nothing");
            }
        }
    }

    @Test
    void replacedScoresContinueThroughSoftmaxAsInTl() {
        // TL: scores replaced by 2 * scores (-inf stays -inf) -> pattern = softmax -> z = pattern . v
        FwdHook hook = FwdHook.of("blocks.0.attn.hook_attn_scores", (s, h) -> s.scale(2f));
        assertMatchesEditedReference(hook, new ReferenceGpt2.Edits() {
            @Override
            public void scores(int b, int layer, int h, int i, double[] scores) {
                for (int j = 0; layer == 0 && j < scores.length; j++) {
                    scores[j] *= 2;
                }
            }
        });
    }

    @Test
    void scoresEditedInPlaceContinueThroughSoftmax() {
        // a hook that masks key 0 for every query of head 2 in place and returns null
        FwdHook hook = FwdHook.of("blocks.1.attn.hook_attn_scores", (s, h) -> {
            s.select(1, 2).narrow(2, 0, 1).fill(Float.NEGATIVE_INFINITY);
            return null;
        });
        assertMatchesEditedReference(hook, new ReferenceGpt2.Edits() {
            @Override
            public void scores(int b, int layer, int h, int i, double[] scores) {
                if (layer == 1 && h == 2) {
                    scores[0] = Double.NEGATIVE_INFINITY;
                }
            }
        });
    }

    @Test
    void patternZeroedInPlaceZeroesTheHeadsZ() {
        FwdHook hook = FwdHook.of("blocks.1.attn.hook_pattern", (p, h) -> {
            p.select(1, 0).fill(0);
            return null;
        });
        assertMatchesEditedReference(hook, new ReferenceGpt2.Edits() {
            @Override
            public void pattern(int b, int layer, int h, int i, double[] pattern) {
                if (layer == 1 && h == 0) {
                    Arrays.fill(pattern, 0);
                }
            }
        });
    }

    @Test
    void aReplacedPatternMayWeightFutureKeysAsInTl() {
        // TL's z = pattern @ v sums over every key: a uniform pattern over all positions reads the future too
        int n = tokens[0].length;
        FwdHook hook = FwdHook.of("blocks.0.attn.hook_pattern", (p, h) -> Tensor.full(1f / n, p.shape()));
        assertMatchesEditedReference(hook, new ReferenceGpt2.Edits() {
            @Override
            public void pattern(int b, int layer, int h, int i, double[] pattern) {
                if (layer == 0) {
                    Arrays.fill(pattern, 1.0 / n);
                }
            }
        });
    }

    @Test
    void aScaleDoubledInPlaceHalvesTheNormalizedInput() {
        // ln1 fires three times (q, k, v inputs, as TL); each time the scale is doubled in place
        FwdHook ln1 = FwdHook.of("blocks.0.ln1.hook_scale", (s, h) -> {
            s.copyFrom(s.scale(2f));
            return null;
        });
        FwdHook lnFinal = FwdHook.of("ln_final.hook_scale", (s, h) -> s.scale(0.5f));
        ReferenceGpt2.Edits edits = new ReferenceGpt2.Edits() {
            @Override
            public double scale(int b, String name, int p, double scale) {
                return name.equals("blocks.0.ln1") ? 2 * scale : name.equals("ln_final") ? scale / 2 : scale;
            }
        };
        assertMatchesEditedReference(List.of(ln1, lnFinal), edits);
    }

    private void assertMatchesEditedReference(FwdHook hook, ReferenceGpt2.Edits edits) {
        assertMatchesEditedReference(List.of(hook), edits);
    }

    /** The hooked run matches the edited reference, and differs from the unedited run (the edit acted). */
    private void assertMatchesEditedReference(List<FwdHook> hooks, ReferenceGpt2.Edits edits) {
        Tensor got = tiny.runWithHooks(tokens, hooks);
        double[][][] want = new ReferenceGpt2(cfg, weights).logits(tokens, null, null, edits);
        double max = 0;
        double moved = 0;
        Tensor plain = tiny.forward(tokens);
        for (int b = 0; b < want.length; b++) {
            for (int p = 0; p < want[b].length; p++) {
                for (int v = 0; v < want[b][p].length; v++) {
                    max = Math.max(max, Math.abs(want[b][p][v] - got.get(b, p, v)));
                    moved = Math.max(moved, Math.abs(plain.get(b, p, v) - got.get(b, p, v)));
                }
            }
        }
        assertTrue(max <= LOGIT_ATOL, "max |logit - edited reference| " + max + " > " + LOGIT_ATOL);
        assertTrue(moved > 100 * LOGIT_ATOL, "the edit must move the logits, moved " + moved);
        assertEquals(want.length, got.size(0));
    }
}
