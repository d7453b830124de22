// Padded batches: to_tokens with a mask, left and right padding give each prompt's own logits and loss (TL's
// test_left_padding and masked lm_cross_entropy_loss), and the token helpers of a batch.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.builtin.TinyRandom;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddingTest {
    private static final HookedGpt2 MODEL = TinyRandom.load();
    private static final List<String> PROMPTS = List.of("Hello world", "The cat sat on the mat.", "A");

    @Test
    void paddedBatchGivesEachPromptItsOwnLogitsOnEitherSide() {
        for (PaddingSide side : PaddingSide.values()) {
            TokenBatch batch = MODEL.toTokens(PROMPTS, true, side);
            Tensor logits = MODEL.forward(batch.ids(), RunOptions.defaults().withAttentionMask(batch.attentionMask()))
                    .logits();
            for (int b = 0; b < PROMPTS.size(); b++) {
                int[] alone = MODEL.toTokens(PROMPTS.get(b))[0];
                int start = side == PaddingSide.LEFT ? batch.length() - alone.length : 0;
                assertArrayEquals(alone, java.util.Arrays.copyOfRange(batch.ids()[b], start, start + alone.length));
                Tensor own = MODEL.forward(new int[][] {alone}).select(0, 0);
                Tensor padded = logits.select(0, b).narrow(0, start, alone.length);
                // TL's test_left_padding tolerance: 1e-4 absolute
                assertTrue(padded.allclose(own, 0, 1e-4), side + " row " + b + ": " + padded.maxAbsDiff(own));
            }
        }
    }

    @Test
    void maskedLossCountsOnlyPredictionsBetweenRealTokens() {
        for (PaddingSide side : PaddingSide.values()) {
            TokenBatch batch = MODEL.toTokens(PROMPTS, true, side);
            RunOptions loss = RunOptions.defaults().withAttentionMask(batch.attentionMask()).returning(
                    ReturnType.LOSS);
            double sum = 0;
            int count = 0;
            for (String prompt : PROMPTS) {
                int[][] alone = MODEL.toTokens(prompt);
                Tensor perToken = MODEL.forward(alone, RunOptions.defaults().returning(ReturnType.LOSS)
                        .perTokenLoss(true)).loss(); // [1, n - 1]
                for (float x : perToken.toArray()) {
                    sum += x;
                    count++;
                }
            }
            double padded = MODEL.forward(batch.ids(), loss).loss().item();
            assertEquals(sum / count, padded, 1e-5, side + ": the mean over each prompt's own predictions");
            Tensor perToken = MODEL.forward(batch.ids(), loss.perTokenLoss(true)).loss(); // [3, pos - 1]
            int[] mask = batch.attentionMask()[2]; // "A": BOS + 1 token, the rest pads
            for (int p = 0; p < batch.length() - 1; p++) {
                boolean counts = mask[p] == 1 && mask[p + 1] == 1;
                assertEquals(counts, perToken.get(2, p) != 0, side + " position " + p);
            }
        }
    }

    @Test
    void tokenHelpersOfABatch() {
        TokenBatch batch = MODEL.toTokens(List.of("Hello world", "Hi"), true, PaddingSide.RIGHT);
        assertEquals(List.of(List.of("<|endoftext|>", "Hello", " world"), List.of("<|endoftext|>", "Hi",
                "<|endoftext|>")), MODEL.toStrTokens(batch.ids()));
        assertEquals(List.of("<|endoftext|>Hello world", "<|endoftext|>Hi<|endoftext|>"), MODEL.toString(batch.ids()));
        int[] ids = MODEL.toTokens(" Mary and John met Mary")[0];
        assertEquals(1, MODEL.getTokenPosition(" Mary", " Mary and John met Mary", false));
        assertEquals(5, MODEL.getTokenPosition(" Mary", " Mary and John met Mary", true));
        assertEquals(3, MODEL.getTokenPosition(ids[3], ids, false));
        var absent = assertThrows(IllegalArgumentException.class,
                () -> MODEL.getTokenPosition(" Bob", " Mary and John", false));
        assertTrue(absent.getMessage().startsWith("The token does not occur in the prompt"), absent.getMessage());
    }
}
