// Attribution patching: the planted induction head first; exact where the metric is linear; TL's shapes; and how
// well the first-order estimate tracks exact patching on a random model (measured, see the method comment).
package dev.jlens.model.patching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionPatchingTest {
    private final HookedGpt2 induction = BuiltinModels.load(InductionModel.NAME);

    @Test
    void headEstimatesRankThePlantedInductionHeadFirst() {
        int n = 10;
        int[][] clean = InductionPrompts.repeated(4, n, 21);
        int[][] corrupted = InductionPrompts.secondHalfReplaced(clean, 22);
        LogitMetric metric = LogitMetric.meanLogProbOfNext(InductionPrompts.secondHalfReads(n), clean);
        Tensor heads = AttributionPatching.actPatch(induction, clean, corrupted, metric,
                PatchType.ATTN_HEAD_OUT_ALL_POS); // [n_layers, n_heads]
        assertEquals(InductionModel.INDUCTION_LAYER * 8 + InductionModel.INDUCTION_HEAD,
                (int) heads.reshape(-1).argmax(0).item(), heads.toString());
    }

    @Test
    void exactWhereTheMetricIsLinearInTheActivation() {
        // induction-2l has no layer norm and no MLP: block 1's z and attn_out reach the logits linearly, and a
        // logit difference is linear in the logits, so the first-order estimate is the exact patch there
        int n = 4;
        int[][] clean = InductionPrompts.repeated(2, n, 5);
        int[][] corrupted = InductionPrompts.secondHalfReplaced(clean, 6);
        int last = clean[0].length - 1;
        int[][] answers = {{clean[0][n], InductionModel.BOS}, {clean[1][n], clean[0][n]}};
        LogitMetric diff = LogitMetric.logitDiff(last, answers);
        for (PatchType type : List.of(PatchType.ATTN_HEAD_OUT_ALL_POS, PatchType.ATTN_HEAD_OUT_BY_POS,
                PatchType.ATTN_OUT)) {
            Tensor estimate = AttributionPatching.actPatch(induction, clean, corrupted, diff, type).select(0, 1);
            Tensor exact = Patching.actPatch(induction, clean, corrupted, diff::value, type, true).select(0, 1);
            double scale = 1;
            for (float v : exact.contiguous().toArray()) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(estimate.maxAbsDiff(exact) <= 1e-4 * scale, type + ": " + estimate + " vs " + exact);
        }
    }

    @Test
    void estimatesHaveTheExactSweepsShapes() {
        HookedGpt2 tiny = PatchingFixtures.tinyModel();
        int[][] clean = PatchingFixtures.tokens(2, 5, 97, 1);
        int[][] corrupted = PatchingFixtures.tokens(2, 5, 97, 2);
        LogitMetric metric = LogitMetric.meanLogProb(-1, 3);
        List<PatchType> all = List.of(PatchType.values());
        Map<PatchType, Tensor> estimates = AttributionPatching.estimate(tiny, clean, corrupted, metric, all);
        for (PatchType type : all) {
            assertArrayEquals(Patching.actPatch(tiny, clean, corrupted, metric::value, type, true).shape(),
                    estimates.get(type).shape(), type.toString());
        }
        assertArrayEquals(new int[] {3, 2, 5}, AttributionPatching.blockEvery(tiny, clean, corrupted, metric).shape());
        assertArrayEquals(new int[] {5, 2, 4},
                AttributionPatching.attnHeadAllPosEvery(tiny, clean, corrupted, metric).shape());
        assertArrayEquals(new int[] {5, 2, 5, 4},
                AttributionPatching.attnHeadByPosEvery(tiny, clean, corrupted, metric).shape());
    }

    @Test
    void aPaddedBatchEstimatesWhatEachPromptDoesAlone() {
        // estimate - M(corrupted) = sum_b (a_clean - a_corrupted) * dM/da over the batch; M is a mean over rows, so
        // row b contributes half of what it does alone, shifted right by its pads
        HookedGpt2 tiny = PatchingFixtures.tinyModel();
        int[][] clean = {PatchingFixtures.tokens(1, 4, 97, 1)[0], PatchingFixtures.tokens(1, 6, 97, 3)[0]};
        int[][] corrupted = {PatchingFixtures.tokens(1, 4, 97, 2)[0], PatchingFixtures.tokens(1, 6, 97, 4)[0]};
        int[][] mask = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};
        LogitMetric metric = LogitMetric.meanLogProb(-1, 3);
        List<PatchType> all = List.of(PatchType.values());
        Map<PatchType, Tensor> padded = AttributionPatching.estimate(tiny, leftPadded(clean), leftPadded(corrupted),
                mask, metric, all);
        float basePadded = 0;
        for (int b = 0; b < 2; b++) {
            basePadded += metric.value(tiny.forward(new int[][] {corrupted[b]})) / 2;
        }
        for (PatchType type : all) {
            Tensor want = Tensor.zeros(padded.get(type).shape());
            for (int b = 0; b < 2; b++) {
                float base = metric.value(tiny.forward(new int[][] {corrupted[b]}));
                Tensor alone = AttributionPatching.actPatch(tiny, new int[][] {clean[b]}, new int[][] {corrupted[b]},
                        metric, type).sub(Tensor.scalar(base)).scale(0.5f);
                want = want.add(shifted(alone, want.shape(), 6 - clean[b].length, type.setter().axes()));
            }
            Tensor got = padded.get(type).sub(Tensor.scalar(basePadded));
            double scale = want.maxAbsDiff(Tensor.zeros(want.shape()));
            // float32 sums in another order and batch shape: 1e-5 of the largest term, 1e-6 absolute
            assertTrue(scale > 0 && got.maxAbsDiff(want) <= 1e-5 * scale + 1e-6, type + ": " + got.maxAbsDiff(want)
                    + " vs max " + scale);
        }
    }

    /** rows [batch][n_b] left-padded with id 0 to 6 positions. */
    private static int[][] leftPadded(int[][] rows) {
        int[][] out = new int[rows.length][6];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, out[b], 6 - rows[b].length, rows[b].length);
        }
        return out;
    }

    /** {@code t} placed in zeros of {@code shape}, moved {@code pads} along every position axis. */
    private static Tensor shifted(Tensor t, int[] shape, int pads, String[] axes) {
        Tensor out = Tensor.zeros(shape);
        Tensor slot = out;
        for (int axis = 0; axis < axes.length; axis++) {
            if (axes[axis].endsWith("pos")) {
                slot = slot.narrow(axis, pads, t.size(axis));
            }
        }
        slot.copyFrom(t);
        return out;
    }
}
