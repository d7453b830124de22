// Patching a left-padded batch of prompt pairs of different lengths equals patching each pair alone (naive and fast
// loops): a patch at a pad position changes nothing, and every real position sits at its row's pad offset.
package dev.jlens.model.patching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.TinyRandom;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedPatchingTest {
    private static final HookedGpt2 MODEL = TinyRandom.load();
    private static final List<String> CLEAN = List.of("The cat sat on the mat", "Hello world");
    private static final List<String> CORRUPTED = List.of("The dog sat on the rug", "Hello there");
    private static final int TOKEN = 262; // " the"
    /** Sum over rows of the last position's logit of " the": linear in the rows, so rows can be patched apart. */
    private static final PatchMetric SUM = PatchMetric.reading(new int[] {-1}, logits -> {
        float sum = 0;
        for (int b = 0; b < logits.size(0); b++) {
            sum += logits.get(b, 0, TOKEN);
        }
        return sum;
    });

    @Test
    void paddedSweepsEqualTheSumOfEachPairAlone() {
        TokenBatch clean = MODEL.toTokens(CLEAN, true, PaddingSide.LEFT);
        TokenBatch corrupted = MODEL.toTokens(CORRUPTED, true, PaddingSide.LEFT);
        assertTrue(java.util.Arrays.deepEquals(clean.attentionMask(), corrupted.attentionMask()), "pairs align");
        int[][] mask = clean.attentionMask();
        for (PatchType type : List.of(PatchType.RESID_PRE, PatchType.ATTN_HEAD_OUT_ALL_POS,
                PatchType.ATTN_HEAD_V_ALL_POS, PatchType.ATTN_HEAD_PATTERN_ALL_POS)) {
            Tensor expected = Tensor.zeros(type.setter().axisSizes(MODEL.cfg().nLayers(), clean.length(),
                    MODEL.cfg().nHeads()));
            for (int b = 0; b < CLEAN.size(); b++) {
                expected = expected.add(alone(type, b, clean.length()));
            }
            for (boolean fast : new boolean[] {false, true}) {
                Tensor padded = Patching.actPatch(MODEL, clean.ids(), corrupted.ids(), mask, SUM, type, fast);
                // sums of fp32 logits from batches of other shapes: 1e-4 absolute, as logits (DESIGN.md)
                assertTrue(padded.allclose(expected, 0, 1e-4), type + (fast ? " fast" : " naive") + ": max diff "
                        + padded.maxAbsDiff(expected));
            }
        }
    }

    /**
     * Pair b patched alone, laid out on the padded positions: a by-position sweep gets the pair's corrupted score at
     * its pad positions (a patch there changes nothing) and its own sweep shifted by its pad offset after them.
     */
    private static Tensor alone(PatchType type, int b, int length) {
        int[][] clean = MODEL.toTokens(CLEAN.get(b));
        int[][] corrupted = MODEL.toTokens(CORRUPTED.get(b));
        Tensor own = Patching.actPatch(MODEL, clean, corrupted, SUM, type, false);
        if (type != PatchType.RESID_PRE) {
            return own; // [n_layers, n_heads]: every position patched at once
        }
        int offset = length - clean[0].length;
        float base = SUM.apply(MODEL.forward(corrupted).narrow(1, clean[0].length - 1, 1));
        Tensor out = Tensor.full(base, MODEL.cfg().nLayers(), length);
        out.narrow(1, offset, clean[0].length).copyFrom(own);
        return out;
    }
}
