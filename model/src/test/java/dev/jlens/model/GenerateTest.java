// generate's ground truth: induction-2l copies a sequence, the KV cache changes nothing, a padded batch equals its
// rows alone, hooks stay active, and bad input is refused before any work.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookHandle;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.builtin.TinyRandom;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GenerateTest {
    private static final HookedGpt2 INDUCTION = InductionModel.load();
    private static final HookedGpt2 TINY = TinyRandom.load();

    private static GenerateOptions greedy(int n) {
        return GenerateOptions.defaults().greedy().maxNewTokens(n).stopAtEos(false);
    }

    @Test
    void inductionHeadCopiesTheRestOfARepeatedSequence() {
        int[] row = InductionModel.repeatedTokens(1, 30, 11)[0]; // BOS + A + A, |A| = 30
        for (int k : new int[] {3, 10}) {
            int[][] prompt = {Arrays.copyOf(row, 1 + 30 + k)}; // BOS + A + A[:k]
            int[] expected = Arrays.copyOfRange(row, 1 + 30 + k, row.length); // A[k:]
            for (boolean cache : new boolean[] {true, false}) {
                Generated g = INDUCTION.generate(prompt, null, greedy(expected.length).useKvCache(cache));
                assertArrayEquals(expected, g.newTokens()[0], "k " + k + ", cache " + cache);
            }
        }
    }

    @Test
    void cachedAndUncachedGiveTheSameTokensWithAndWithoutASteeringHook() {
        Tensor direction = Tensor.randn(5, TINY.cfg().dModel()).scale(3f); // [d_model]
        List<FwdHook> steer = List.of(FwdHook.of("blocks.1.hook_resid_pre", (act, hook) -> act.add(direction)));
        for (List<FwdHook> hooks : List.of(List.<FwdHook>of(), steer)) {
            for (GenerateOptions o : List.of(greedy(20), greedy(20).temperature(1).seed(3))) {
                Generated cached = TINY.generate("The cat sat on", o.hooks(hooks).useKvCache(true));
                Generated plain = TINY.generate("The cat sat on", o.hooks(hooks).useKvCache(false));
                assertArrayEquals(plain.newTokens()[0], cached.newTokens()[0], "hooks " + hooks.size());
            }
        }
        Generated unsteered = TINY.generate("The cat sat on", greedy(20));
        Generated steered = TINY.generate("The cat sat on", greedy(20).hooks(steer));
        assertTrue(!Arrays.equals(unsteered.newTokens()[0], steered.newTokens()[0]), "the hook must act");
    }

    @Test
    void cachedLogitsMatchTheFullForwardOfALeftPaddedBatch() {
        int[][] prompt = {{9, 9, 9, 464, 3797}, {50256, 11, 22, 33, 44}};
        int[][] mask = {{0, 0, 0, 1, 1}, {1, 1, 1, 1, 1}};
        KvCache cache = new KvCache(TINY.cfg(), 2, 8);
        TINY.forward(prompt, mask, cache);
        Tensor step = TINY.forward(new int[][] {{5}, {6}}, null, cache); // [2, 1, d_vocab]
        int[][] all = {{9, 9, 9, 464, 3797, 5}, {50256, 11, 22, 33, 44, 6}};
        int[][] allMask = {{0, 0, 0, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};
        Tensor full = TINY.forward(all, RunOptions.defaults().withAttentionMask(allMask)).logits();
        // fp32 logits of the same sums in another order: about 1e-4 absolute (DESIGN.md)
        assertTrue(step.select(1, 0).allclose(full.select(1, 5), 0, 1e-4), "max diff "
                + step.select(1, 0).maxAbsDiff(full.select(1, 5)));
        assertEquals(6, cache.length());
    }

    @Test
    void leftPaddedBatchGivesEachRowTheTokensOfItsPromptAlone() {
        List<String> prompts = List.of("Hello", "The quick brown fox jumps", "One two three");
        for (boolean cache : new boolean[] {true, false}) {
            GenerateOptions o = greedy(8).useKvCache(cache);
            Generated batch = TINY.generate(prompts, o);
            for (int b = 0; b < prompts.size(); b++) {
                Generated alone = TINY.generate(prompts.get(b), o);
                assertArrayEquals(alone.prompt()[0], batch.promptIds(b), "prompt " + b);
                assertArrayEquals(alone.newTokens()[0], batch.newTokens()[b], "row " + b + ", cache " + cache);
            }
        }
    }

    @Test
    void finishedRowsKeepReceivingEosAndGenerationStopsWhenAllFinish() {
        int[] row = InductionModel.repeatedTokens(1, 12, 2)[0];
        int eos = row[1 + 12 + 4]; // the 5th token induction will copy: row 0 finishes at step 1 (4 - 3)
        int[][] prompt = {Arrays.copyOf(row, 1 + 12 + 3), Arrays.copyOf(row, 1 + 12 + 3)};
        prompt[1] = Arrays.copyOf(row, 1 + 12 + 3);
        prompt[1][15] = row[2]; // row 1 continues with A[2:] instead
        Generated g = INDUCTION.generate(prompt, null, greedy(20).stopAtEos(true).eosTokenId(eos));
        int[] first = g.newTokens()[0];
        assertEquals(eos, first[1]);
        for (int s = 2; s < first.length; s++) {
            assertEquals(eos, first[s], "finished row at step " + s);
        }
        assertArrayEquals(Arrays.copyOf(first, 2), g.newIds(0));
    }

    @Test
    void persistentAndPerCallHooksSeeTheNewPositionsOnly() {
        List<String> patternShapes = new ArrayList<>();
        AtomicInteger persistentCalls = new AtomicInteger();
        try (HookHandle h = TINY.addHook("blocks.0.hook_resid_pre", (act, hook) -> {
            persistentCalls.incrementAndGet();
            return null;
        })) {
            FwdHook pattern = FwdHook.of("blocks.1.attn.hook_pattern", (act, hook) -> {
                patternShapes.add(act.shapeString());
                return null;
            });
            TINY.generate(new int[][] {{1, 2, 3, 4}}, null, greedy(3).hooks(List.of(pattern)));
        }
        assertEquals(3, persistentCalls.get());
        assertEquals(List.of("[1, 4, 4, 4]", "[1, 4, 1, 5]", "[1, 4, 1, 6]"), patternShapes);
    }

    @Test
    void theStreamSeesEveryStepsTokens() {
        List<int[]> streamed = new ArrayList<>();
        Generated g = TINY.generate(List.of("a", "bc d"), greedy(5).onStep((step, tokens) -> {
            assertEquals(streamed.size(), step);
            streamed.add(tokens);
        }));
        for (int s = 0; s < 5; s++) {
            assertArrayEquals(new int[] {g.newTokens()[0][s], g.newTokens()[1][s]}, streamed.get(s));
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyWork() {
        AtomicInteger calls = new AtomicInteger();
        try (HookHandle h = TINY.addHook("hook_embed", (act, hook) -> {
            calls.incrementAndGet();
            return null;
        })) {
            int nCtx = TINY.cfg().nCtx();
            var tooLong = assertThrows(IllegalArgumentException.class,
                    () -> TINY.generate(new int[][] {new int[nCtx - 5]}, null, greedy(6)));
            assertTrue(tooLong.getMessage().contains((nCtx - 5) + " tokens") && tooLong.getMessage().contains(
                    "max_new_tokens 6") && tooLong.getMessage().contains("n_ctx " + nCtx), tooLong.getMessage());
            var empty = assertThrows(IllegalArgumentException.class,
                    () -> TINY.generate("", greedy(2).prependBos(false)));
            assertTrue(empty.getMessage().contains("tokenizes to no tokens"), empty.getMessage());
            var rightPadded = assertThrows(IllegalArgumentException.class, () -> TINY.generate(
                    new int[][] {{1, 2}, {3, 0}}, new int[][] {{1, 1}, {1, 0}}, greedy(2)));
            assertTrue(rightPadded.getMessage().contains("left padding"), rightPadded.getMessage());
            assertEquals(0, calls.get());
        }
        assertOption("temperature", () -> GenerateOptions.defaults().temperature(-0.5));
        assertOption("top_p", () -> GenerateOptions.defaults().topP(0));
        assertOption("top_p", () -> GenerateOptions.defaults().topP(1.5));
        assertOption("top_k", () -> GenerateOptions.defaults().topK(0));
        assertOption("max_new_tokens", () -> GenerateOptions.defaults().maxNewTokens(0));
    }

    private static void assertOption(String name, Runnable build) {
        var e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
    }
}
