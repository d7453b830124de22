// The library's normalised patching metrics: 1 on the clean run, 0 on the corrupted one, reading only their
// positions, and their raw baselines equal to values computed here from the logits by hand.
package dev.jlens.model.patching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.RunOptions;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PatchMetricsTest {
    private static final HookedGpt2 MODEL = InductionModel.load();
    private static final int N = 6;
    private static final int[][] CLEAN = InductionPrompts.repeated(2, N, 3);
    private static final int[][] CORRUPTED = InductionPrompts.secondHalfReplaced(CLEAN, 4);

    @Test
    void cleanLogProbIsOneOnCleanAndZeroOnCorrupted() {
        PatchMetrics.Normalized m = PatchMetrics.cleanLogProbMetric(MODEL, CLEAN, CORRUPTED);
        int[] reads = m.metric().readPositions();
        assertArrayEquals(new int[] {N + 1, N + 2, N + 3, N + 4, N + 5}, reads); // first difference .. pos - 2
        Tensor clean = MODEL.forward(CLEAN);
        assertEquals(1.0, m.metric().apply(clean.indexSelect(1, reads)), 1e-5);
        assertEquals(0.0, m.metric().apply(MODEL.forward(CORRUPTED).indexSelect(1, reads)), 1e-5);
        assertEquals(1.0, m.differentiable().value(clean), 1e-5); // the tensor-op twin, on all positions' logits
        assertEquals(0.0, m.differentiable().value(MODEL.forward(CORRUPTED)), 1e-5);
        double byHand = 0; // mean log p(clean[b][p + 1]) over rows and read positions
        Tensor logProbs = clean.logSoftmax(-1);
        for (int b = 0; b < 2; b++) {
            for (int p : reads) {
                byHand += logProbs.get(b, p, CLEAN[b][p + 1]) / (2.0 * reads.length);
            }
        }
        assertEquals(byHand, m.clean(), 1e-5);
        assertTrue(m.clean() > m.corrupted() + 5, "induction predicts the clean repeat: " + m.clean() + " vs "
                + m.corrupted());
    }

    @Test
    void theDifferentiableTwinOfPaddedPromptsCountsRealPositionsOnly() {
        // row 0 cut to BOS A[0..3] and left-padded by 8: the read at position 7 (row 1's first difference) is a pad
        // there and must not count, nor its prediction of the first real token
        int[][] clean = {padded(CLEAN[0], 5), CLEAN[1]};
        int[][] corrupted = {padded(CORRUPTED[0], 5), CORRUPTED[1]};
        int[][] mask = new int[2][CLEAN[0].length];
        java.util.Arrays.fill(mask[0], CLEAN[0].length - 5, CLEAN[0].length, 1);
        java.util.Arrays.fill(mask[1], 1);
        PatchMetrics.Normalized m = PatchMetrics.cleanLogProbMetric(MODEL, clean, corrupted, mask);
        RunOptions options = RunOptions.defaults().withAttentionMask(mask);
        assertEquals(1.0, m.differentiable().value(MODEL.forward(clean, options).logits()), 1e-5);
        assertEquals(0.0, m.differentiable().value(MODEL.forward(corrupted, options).logits()), 1e-5);
    }

    @Test
    void logitDiffReadsTheLastPosition() {
        int[][] answers = {{CLEAN[0][2], CORRUPTED[0][N + 2]}, {CLEAN[1][2], CORRUPTED[1][N + 2]}};
        int[][] clean = prefix(CLEAN, N + 2); // BOS A A[0]: induction predicts A[1]
        int[][] corrupted = prefix(CORRUPTED, N + 2);
        PatchMetrics.Normalized m = PatchMetrics.logitDiffMetric(MODEL, clean, corrupted, answers);
        assertArrayEquals(new int[] {N + 1}, m.metric().readPositions());
        Tensor last = MODEL.forward(clean).narrow(1, N + 1, 1);
        assertEquals(1.0, m.metric().apply(last), 1e-5);
        assertEquals(1.0, m.differentiable().value(MODEL.forward(clean)), 1e-5); // the tensor-op twin
        assertEquals(0.0, m.differentiable().value(MODEL.forward(corrupted)), 1e-5);
        double byHand = 0;
        for (int b = 0; b < 2; b++) {
            byHand += (last.get(b, 0, answers[b][0]) - last.get(b, 0, answers[b][1])) / 2.0;
        }
        assertEquals(byHand, m.clean(), 1e-4);
        var same = assertThrows(IllegalArgumentException.class,
                () -> PatchMetrics.cleanLogProbMetric(MODEL, CLEAN, CLEAN));
        assertTrue(same.getMessage().contains("nothing to patch"), same.getMessage());
    }

    /** The first n tokens of row, left-padded with id 0 to the row's length. */
    private static int[] padded(int[] row, int n) {
        int[] out = new int[row.length];
        System.arraycopy(row, 0, out, row.length - n, n);
        return out;
    }

    private static int[][] prefix(int[][] rows, int n) {
        int[][] out = new int[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            out[b] = java.util.Arrays.copyOf(rows[b], n);
        }
        return out;
    }
}
