// The seed tours on the PyTorch-made seed-000-shaped fixture and on the built-in induction-2l.
package dev.jlens.model.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.HeadScores;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SeedToursTest {
    private static final Path FIXTURE = Path.of("src/test/resources/dev/jlens/model/weights/torch/attn-only-half");

    private static HookedGpt2 fixture() {
        return TourModel.fromArgs(new String[] {FIXTURE.resolve("attn_only_2L_half.pth").toString(),
            FIXTURE.resolve("config.json").toString()}).model();
    }

    @Test
    void seed000OnTheTorchFixture() {
        HookedGpt2 model = fixture();
        Seed000Tour.Result r = Seed000Tour.run(model, 0, 3, 6, 0);
        assertTrue(r.maxSumError() < 1e-5, "the attributions sum to the logits: " + r.maxSumError());
        Tensor fromCache = HeadScores.induction(model.runWithCache(r.tokens()).cache(), 6);
        assertArrayEquals(fromCache.toArray(), r.inductionScores().toArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 4}, r.ablationScores().shape());
        assertArrayEquals(new int[] {12, 1 + 8 + 1}, r.logitAttribution().shape());
    }

    /** induction-2l with hook_result on, as the seed's config sets use_attn_result. */
    private static HookedGpt2 induction2l() {
        TourModel m = TourModel.fromArgs(new String[] {InductionModel.NAME});
        assertEquals(InductionModel.BOS, m.bos());
        return m.model();
    }

    @Test
    void seed000OnInduction2lFindsThePlantedHeads() {
        HookedGpt2 model = induction2l();
        Seed000Tour.Result r = Seed000Tour.run(model, InductionModel.BOS, 2, 10, 0);
        assertTrue(r.maxSumError() < 1e-4, "the attributions sum to the logits: " + r.maxSumError());
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 8; h++) {
                boolean induction = l == InductionModel.INDUCTION_LAYER && h == InductionModel.INDUCTION_HEAD;
                boolean previous = l == InductionModel.PREV_TOKEN_LAYER && h == InductionModel.PREV_TOKEN_HEAD;
                float score = r.inductionScores().get(l, h);
                assertTrue(induction ? score > 0.9 : score < 0.2, "induction score L" + l + "H" + h + " " + score);
                float ablated = r.ablationScores().get(l, h); // both heads of the circuit carry the whole loss drop
                assertTrue(induction || previous ? ablated > 10 : Math.abs(ablated) < 1e-3,
                        "loss change ablating L" + l + "H" + h + " " + ablated);
            }
        }
    }

    @Test
    void seed002OnInduction2lAndTheFixture() {
        HookedGpt2 model = induction2l();
        Seed002Tour.Result r = Seed002Tour.run(model, InductionModel.BOS, 1, 8, 0);
        int l = InductionModel.INDUCTION_LAYER;
        int h = InductionModel.INDUCTION_HEAD;
        assertTrue(r.clean() > -1e-3, "the clean repeat is predicted: " + r.clean());
        for (String name : Seed002Tour.CORRUPTIONS) {
            double corrupted = r.corrupted().get(name);
            assertTrue(corrupted < -10, name + " " + corrupted);
            Tensor p = r.patched().get(name); // [output, query, key, value, pattern] x layer x head
            assertEquals(r.clean(), p.get(0, l, h), 1e-3, name + ": patching the induction head's output recovers");
            // the seed's expectations: BA (corrupted first half) needs keys and values too, BC needs everything
            if (name.equals("BA") || name.equals("BC")) {
                for (int act : name.equals("BA") ? new int[] {2, 3, 4} : new int[] {1, 2, 3, 4}) {
                    assertTrue(p.get(act, l, h) < corrupted + 0.01, name + " act " + act + ": " + p.get(act, l, h));
                }
            }
        }
        Seed002Tour.Result f = Seed002Tour.run(fixture(), 0, 2, 6, 0);
        for (Tensor p : f.patched().values()) {
            assertArrayEquals(new int[] {5, 2, 4}, p.shape());
            for (float v : p.toArray()) {
                assertTrue(Float.isFinite(v) && v < 0, "a log-probability: " + v);
            }
        }
    }
}
