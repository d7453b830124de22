// Dataset patching on induction-2l: per-pair sweeps equal TL's naive loop, mean and standard error, bad lines.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchMetrics;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetPatchingTest {
    private static final HookedGpt2 MODEL = BuiltinModels.load("induction-2l");

    @TempDir
    Path dir;

    /** Clean: a b c d a b c (induction predicts d); corrupted: a b c d x y z (nothing to copy). */
    private static String pair(String a, String b, String c, String d, String x, String y, String z) {
        String clean = " " + String.join(" ", a, b, c, d, a, b, c);
        String corrupted = " " + String.join(" ", a, b, c, d, x, y, z);
        return "{\"clean\": \"" + clean + "\", \"corrupted\": \"" + corrupted + "\", \"answers\": [\" " + d
                + "\", \" " + a + "\"]}";
    }

    @Test
    void eachPairIsTheNaiveSweepAndTheAggregateIsTheirMeanAndStandardError() throws Exception {
        Path pairs = Files.write(dir.resolve("pairs.jsonl"), List.of(pair("apple", "river", "stone", "cloud",
                "paper", "glass", "metal"), "", pair("green", "table", "horse", "music", "water", "light", "north"),
                pair("money", "house", "night", "world", "sound", "field", "south")));
        DatasetPatching.Result r = DatasetPatching.run(MODEL, pairs, new DatasetPatching.Options("resid_pre", false,
                false, false), dir.resolve("out"));
        assertEquals(List.of(1, 3, 4), r.lines());
        for (int i = 0; i < 3; i++) {
            Tensor naive = DatasetPatching.sweep(MODEL, PromptPairs.read(pairs).get(i), r.type(), false);
            assertTrue(naive.allclose(r.results().get(i), 0, 1e-5), "pair " + i + ": fast loop vs TL's naive loop, "
                    + "max diff " + naive.maxAbsDiff(r.results().get(i)));
        }
        float[] a = r.results().get(0).toArray();
        float[] b = r.results().get(1).toArray();
        float[] c = r.results().get(2).toArray();
        float[] mean = Npy.read(dir.resolve("out/mean.npy")).toArray();
        float[] se = Npy.read(dir.resolve("out/stderr.npy")).toArray();
        for (int i = 0; i < a.length; i++) {
            double m = ((double) a[i] + b[i] + c[i]) / 3;
            double var = ((a[i] - m) * (a[i] - m) + (b[i] - m) * (b[i] - m) + (c[i] - m) * (c[i] - m)) / 2;
            assertEquals(m, mean[i], 1e-6, "mean " + i);
            assertEquals(Math.sqrt(var / 3), se[i], 1e-6, "stderr " + i);
        }
        float lastLayerLastPos = r.mean().get(MODEL.cfg().nLayers() - 1, r.mean().size(1) - 1);
        assertEquals(1f, lastLayerLastPos, 1e-4f, "patching the whole last-position residual restores clean");
        // a rerun resumes from the saved pairs and gives the same numbers
        DatasetPatching.Result again = DatasetPatching.run(MODEL, pairs, new DatasetPatching.Options("resid_pre",
                false, false, false), dir.resolve("out"));
        assertArrayEquals(r.mean().toArray(), again.mean().toArray());
    }

    @Test
    void attributionEstimatesAreExactWhereTheMetricIsLinear() throws Exception {
        // induction-2l has no layer norm and no MLP: block 1's attn_out reaches the logit difference linearly, so
        // there the first-order estimate is the exact patch; block 0's goes through block 1's attention and is not
        Path pairs = Files.write(dir.resolve("pairs.jsonl"), List.of(pair("apple", "river", "stone", "cloud",
                "paper", "glass", "metal"), pair("green", "table", "horse", "music", "water", "light", "north")));
        DatasetPatching.Result r = DatasetPatching.run(MODEL, pairs, new DatasetPatching.Options("attn_out", false,
                false, true, false), dir.resolve("out"));
        for (int i = 0; i < 2; i++) {
            Tensor exact = DatasetPatching.sweep(MODEL, PromptPairs.read(pairs).get(i), r.type(), true);
            Tensor estimate = r.results().get(i);
            assertTrue(estimate.select(0, 1).allclose(exact.select(0, 1), 0, 1e-4), "pair " + i + ": " + estimate
                    + " vs " + exact);
            PromptPairs.Pair p = PromptPairs.read(pairs).get(i); // the same estimate through the library's metric
            int[][] clean = MODEL.toTokens(p.clean());
            int[][] corrupted = MODEL.toTokens(p.corrupted());
            int[][] answers = {{MODEL.toSingleToken(p.correct()), MODEL.toSingleToken(p.incorrect())}};
            Tensor library = AttributionPatching.actPatch(MODEL, clean, corrupted, PatchMetrics.logitDiffMetric(MODEL,
                    clean, corrupted, answers).differentiable(), r.type());
            assertTrue(estimate.allclose(library, 0, 1e-5), "pair " + i + ": " + estimate + " vs " + library);
        }
        assertTrue(Files.readString(dir.resolve("out/manifest.json")).contains("attribution=true"));
        var both = assertThrows(IllegalArgumentException.class, () -> new DatasetPatching.Options("z", false, true,
                true, false));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void badPairsNameTheirLine() throws Exception {
        Path pairs = Files.write(dir.resolve("p.jsonl"), List.of(pair("apple", "river", "stone", "cloud", "paper",
                "glass", "metal"), "{\"clean\": \" a b\", \"answers\": [\" a\", \" b\"]}"));
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetPatching.run(MODEL, pairs,
                new DatasetPatching.Options("z", false, false, false), dir.resolve("o1")));
        assertTrue(e.getMessage().endsWith("p.jsonl line 2 needs string fields \"clean\" and \"corrupted\" and "
                + "\"answers\": [correct, incorrect]"), e.getMessage());
        Path uneven = Files.write(dir.resolve("u.jsonl"), List.of("{\"clean\": \" apple river\", \"corrupted\": "
                + "\" apple river stone\", \"answers\": [\" apple\", \" river\"]}"));
        e = assertThrows(IllegalArgumentException.class, () -> DatasetPatching.run(MODEL, uneven,
                new DatasetPatching.Options("z", false, false, false), dir.resolve("o2")));
        assertTrue(e.getMessage().startsWith("line 1: the clean prompt has 3 tokens and the corrupted one 4"),
                e.getMessage());
        Path notJson = Files.write(dir.resolve("n.jsonl"), List.of("{oops"));
        e = assertThrows(IllegalArgumentException.class, () -> DatasetPatching.run(MODEL, notJson,
                new DatasetPatching.Options("z", false, false, false), dir.resolve("o3")));
        assertTrue(e.getMessage().contains("n.jsonl line 1 is not a JSON object"), e.getMessage());
    }
}
