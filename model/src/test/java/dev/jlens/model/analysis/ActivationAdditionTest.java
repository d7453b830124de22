// Steering ground truth: steering prompt- by c = 1 towards prompt+ turns its residual (and so its logits) into
// prompt+'s; the hooks touch only the positions they promise; cached and uncached generation agree when steered.
package dev.jlens.model.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.GenerateOptions;
import dev.jlens.model.Generated;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.model.builtin.TinyRandom;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationAdditionTest {
    private static final HookedGpt2 MODEL = TinyRandom.load();

    @Test
    void coefficientOneTurnsTheMinusPromptIntoThePlusPrompt() {
        // " love" and " hate" are one token each, so both prompts are [BOS, token] and no padding is involved
        ActivationAddition steer = ActivationAddition.fromPrompts(MODEL, 1, 1.0, " love", " hate");
        assertEquals(2, steer.vector().size(0));
        Tensor plus = MODEL.forward(MODEL.toTokens(" love"));
        Tensor steered = MODEL.runWithHooks(MODEL.toTokens(" hate"), List.of(steer.atStart()));
        // the same residual enters block 1 up to float rounding of (a - b) + b: 1e-4 absolute on logits
        assertTrue(steered.allclose(plus, 0, 1e-4), "max diff " + steered.maxAbsDiff(plus));
        assertFalse(MODEL.forward(MODEL.toTokens(" hate")).allclose(plus, 0, 1e-2), "the prompts must differ");
    }

    @Test
    void atStartAddsOnlyAtTheFirstPositionsAndEverywhereAtAll() {
        Tensor direction = Tensor.randn(1, 3, MODEL.cfg().dModel()); // [3, d_model]
        ActivationAddition steer = ActivationAddition.of(0, direction, 2.0);
        int[][] tokens = {{50256, 10, 20, 30, 40, 50}};
        String name = steer.hookName();
        Tensor before = resid(tokens, List.of());
        Tensor start = resid(tokens, List.of(steer.atStart())).sub(before); // [1, 6, d_model]
        assertTrue(start.narrow(1, 0, 3).select(0, 0).allclose(direction.scale(2f), 1e-5, 1e-5), name);
        assertEquals(0.0, start.narrow(1, 3, 3).maxAbsDiff(Tensor.zeros(1, 3, MODEL.cfg().dModel())));
        Tensor all = resid(tokens, List.of(steer.everywhere())).sub(before);
        Tensor mean = direction.mean(0).scale(2f);
        for (int p = 0; p < 6; p++) {
            assertTrue(all.select(0, 0).select(0, p).allclose(mean, 1e-5, 1e-5), "position " + p);
        }
        Tensor step = resid(new int[][] {{7}}, List.of(steer.atStart())); // a one-position pass is left alone
        assertEquals(0.0, step.maxAbsDiff(resid(new int[][] {{7}}, List.of())));
    }

    private static Tensor resid(int[][] tokens, List<FwdHook> hooks) {
        try (var scope = MODEL.hooks(hooks)) {
            return MODEL.runWithCache(tokens, NameFilter.exact("blocks.0.hook_resid_pre"), false,
                    RunOptions.defaults()).cache().get("blocks.0.hook_resid_pre");
        }
    }

    @Test
    void steeredGenerationIsTheSameWithAndWithoutTheKvCache() {
        ActivationAddition steer = ActivationAddition.fromPrompts(MODEL, 1, 8.0, " love", " hate");
        GenerateOptions o = GenerateOptions.defaults().greedy().maxNewTokens(12).stopAtEos(false);
        for (FwdHook hook : List.of(steer.atStart(), steer.everywhere())) {
            Generated cached = MODEL.generate("I think dogs are", o.hooks(List.of(hook)).useKvCache(true));
            Generated plain = MODEL.generate("I think dogs are", o.hooks(List.of(hook)).useKvCache(false));
            assertArrayEquals(plain.newTokens()[0], cached.newTokens()[0]);
            Generated unsteered = MODEL.generate("I think dogs are", o.hooks(List.of()));
            assertFalse(Arrays.equals(unsteered.newTokens()[0], cached.newTokens()[0]), "steering must act");
        }
    }

    @Test // catches pads ignored (the short row steered on its pads) or a row steered at another row's offset
    void aLeftPaddedSteeredBatchContinuesEachPromptAsItWouldAlone() {
        ActivationAddition steer = ActivationAddition.fromPrompts(MODEL, 1, 8.0, " love", " hate");
        List<String> prompts = List.of("I think dogs are", "Cats");
        int[] lengths = prompts.stream().mapToInt(p -> MODEL.toTokens(p)[0].length).toArray();
        assertTrue(lengths[0] > lengths[1] && lengths[1] >= steer.vector().size(0), Arrays.toString(lengths));
        int[] pads = {0, lengths[0] - lengths[1]};
        GenerateOptions o = GenerateOptions.defaults().greedy().maxNewTokens(8).stopAtEos(false);
        for (boolean cache : new boolean[] {true, false}) {
            Generated batch = MODEL.generate(prompts, o.useKvCache(cache).hooks(List.of(steer.atStart(pads))));
            for (int b = 0; b < 2; b++) {
                Generated alone = MODEL.generate(prompts.get(b), o.useKvCache(cache).hooks(List.of(steer.atStart())));
                assertArrayEquals(alone.newTokens()[0], batch.newTokens()[b], "row " + b + ", cache " + cache);
            }
        }
        Generated unpadded = MODEL.generate(prompts, o.hooks(List.of(steer.atStart())));
        Generated shortAlone = MODEL.generate(prompts.get(1), o.hooks(List.of(steer.atStart())));
        assertFalse(Arrays.equals(shortAlone.newTokens()[0], unpadded.newTokens()[1]), "pads must matter here");
    }

    @Test
    void badLayerAndDirectionAreNamed() {
        var layer = assertThrows(IllegalArgumentException.class,
                () -> ActivationAddition.fromPrompts(MODEL, 5, 1.0, "a", "b"));
        assertTrue(layer.getMessage().contains("layer 5 is out of range for 2 layers"), layer.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> ActivationAddition.of(0, Tensor.zeros(64), 1.0));
        assertTrue(shape.getMessage().contains("[pos, d_model], got [64]"), shape.getMessage());
    }
}
