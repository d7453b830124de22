// The top-activations job on induction-2l: the planted answer, exactness against brute force, threads, resume.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopActivationsTest {
    private static final HookedGpt2 MODEL = BuiltinModels.load(InductionModel.NAME);
    private static final String Z1 = "blocks.1.attn.hook_z";

    @TempDir
    Path dir;

    private static TopActivations.Options options(List<FeatureSource> sources, int k, int ctxLen, boolean padded,
            int threads) {
        return new TopActivations.Options(sources, k, ctxLen, padded, 4, 8, threads, 3, 4, false);
    }

    static TopActivations.Options resumableOptions() {
        return new TopActivations.Options(List.of(FeatureSource.units(Z1), FeatureSource.units(
                "blocks.0.hook_resid_post")), 5, 64, true, 2, 2, 1, 4, 3, false);
    }

    @Test // the induction head's output is large only where it finds an earlier copy of the current token
    void inductionHeadTopContextsAreThePlantedRepeats() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("planted.txt"), MODEL.tokenizer(), 64, 1);
        TopActivations.Result r = TopActivations.run(MODEL, Corpus.of(corpus),
                options(List.of(FeatureSource.units(Z1)), 5, 64, true, 2), dir.resolve("out"));
        assertEquals(64, r.contexts());
        TopActivations.Mined z = r.sources().getFirst();
        int dHead = MODEL.cfg().dHead();
        int head = InductionModel.INDUCTION_HEAD;
        float headMax = 0;
        for (int e = 0; e < dHead; e++) {
            headMax = Math.max(headMax, z.stats().max(head * dHead + e));
        }
        int checked = 0;
        for (int e = 0; e < dHead; e++) {
            int f = head * dHead + e;
            if (z.stats().max(f) < 0.25f * headMax) {
                continue; // a unit the copied tokens barely use: its top values are noise-sized
            }
            checked++;
            for (TopK.Entry entry : z.top().sorted(f)) {
                assertTrue(PlantedCorpus.inCopy(entry.context(), entry.pos()), "L1H5 unit " + e + ": " + entry
                        + " is not inside a planted repeat");
            }
        }
        assertTrue(checked >= dHead / 2, "only " + checked + " of " + dHead + " units of L1H5 are strongly active");
    }

    @Test // top-k, max, mean and fraction active equal a brute-force pass over run_with_cache of the same batches
    void equalsBruteForceOverTheCachedActivations() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 24, 2);
        Tensor w = Tensor.randn(5, 512, 3);
        List<FeatureSource> sources = List.of(FeatureSource.units("blocks.0.hook_resid_post"),
                FeatureSource.projected(Z1, w, "rand3"));
        int k = 6;
        TopActivations.Result r = TopActivations.run(MODEL, Corpus.of(corpus), options(sources, k, 32, false, 2),
                dir.resolve("out"));
        List<Context> contexts = new ArrayList<>();
        try (ContextStream s = ContextStream.concatenated(Corpus.of(corpus), MODEL.tokenizer(), 32)) {
            for (Context c = s.next(); c != null; c = s.next()) {
                contexts.add(c);
            }
        }
        assertEquals(contexts.size(), r.contexts());
        List<float[]> resid = new ArrayList<>(); // per context: [32 * 512]
        List<float[]> projected = new ArrayList<>(); // per context: [32 * 3]
        for (int from = 0; from < contexts.size(); from += 4) {
            List<Context> batch = contexts.subList(from, Math.min(contexts.size(), from + 4));
            int[][] tokens = batch.stream().map(Context::tokens).toArray(int[][]::new);
            var cache = MODEL.runWithCache(tokens, NameFilter.anyOf(List.of("blocks.0.hook_resid_post", Z1)),
                    false, dev.jlens.model.RunOptions.defaults()).cache();
            // the product over the whole batch [batch * 32, 512] @ [512, 3], as the job computes it: a GEMM's
            // rounding may depend on its row count
            float[] zw = cache.get(Z1).contiguous().reshape(batch.size() * 32, 512).matmul(w).toArray();
            for (int b = 0; b < batch.size(); b++) {
                resid.add(cache.get("blocks.0.hook_resid_post").select(0, b).toArray());
                projected.add(java.util.Arrays.copyOfRange(zw, b * 32 * 3, (b + 1) * 32 * 3));
            }
        }
        checkAgainst(r.sources().get(0), resid, 512, k);
        checkAgainst(r.sources().get(1), projected, 3, k);
    }

    private static void checkAgainst(TopActivations.Mined m, List<float[]> perContext, int features, int k) {
        for (int f = 0; f < features; f++) {
            List<TopK.Entry> all = new ArrayList<>();
            double sum = 0;
            long active = 0;
            for (int c = 0; c < perContext.size(); c++) {
                for (int p = 0; p < 32; p++) {
                    float v = perContext.get(c)[p * features + f];
                    all.add(new TopK.Entry(v, c, p));
                    sum += v;
                    active += v > 0 ? 1 : 0;
                }
            }
            all.sort((a, b) -> a.value() != b.value() ? Float.compare(b.value(), a.value())
                    : a.context() != b.context() ? Integer.compare(a.context(), b.context())
                    : Integer.compare(a.pos(), b.pos()));
            assertEquals(all.subList(0, k), List.of(m.top().sorted(f)), m.label() + " feature " + f);
            assertEquals(all.getFirst().value(), m.stats().max(f), m.label() + " max " + f);
            double n = all.size();
            assertEquals(sum / n, m.stats().mean(f), 1e-9 * Math.max(1, Math.abs(sum / n)), "mean " + f);
            assertEquals(active / n, m.stats().fracActive(f), 0.0, "frac_active " + f);
            assertEquals(all.size(), m.stats().count());
        }
    }

    @Test // the fixed shard cut makes the output independent of the thread count, byte for byte
    void oneAndTwoThreadsWriteTheSameBytes() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 40, 3);
        for (int threads : new int[] {1, 2}) {
            TopActivations.run(MODEL, Corpus.of(corpus), options(List.of(FeatureSource.units(Z1)), 4, 48, false,
                    threads), dir.resolve("t" + threads));
        }
        assertSameOutputs(dir.resolve("t1"), dir.resolve("t2"));
    }

    private static void assertSameOutputs(Path a, Path b) throws IOException {
        assertArrayEquals(Files.readAllBytes(a.resolve("top.jsonl")), Files.readAllBytes(b.resolve("top.jsonl")));
        try (Stream<Path> pages = Files.list(a.resolve("dashboards"))) {
            for (Path p : pages.toList()) {
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(b.resolve("dashboards")
                        .resolve(p.getFileName())), p.getFileName().toString());
            }
        }
    }

    @Test // kill -9 a child JVM part-way, rerun into the same folder: the output equals an uninterrupted run's
    void aKilledRunResumesToTheUninterruptedOutput() throws Exception {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 160, 4);
        Path resumed = dir.resolve("resumed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ResumeChild.class.getName(), corpus.toString(),
                resumed.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        int doneAtKill = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive() && System.nanoTime() < deadline) {
            int done = doneShards(resumed);
            if (done >= 3) {
                child.destroyForcibly();
                child.waitFor();
                doneAtKill = doneShards(resumed);
                break;
            }
            Thread.sleep(5);
        }
        assertTrue(doneAtKill >= 3 && doneAtKill < 80, "the child must be killed part-way through the 80 shards: "
                + doneAtKill + " done; log: " + Files.readString(dir.resolve("child.log")));
        TopActivations.Result r = TopActivations.run(MODEL, Corpus.of(corpus), resumableOptions(), resumed);
        assertEquals(80, r.shards());
        assertEquals(doneAtKill, r.resumed());
        TopActivations.run(MODEL, Corpus.of(corpus), resumableOptions(), dir.resolve("straight"));
        assertSameOutputs(resumed, dir.resolve("straight"));
    }

    private static int doneShards(Path out) throws IOException {
        Path manifest = out.resolve("manifest.json");
        if (!Files.exists(manifest)) {
            return 0;
        }
        try {
            Matcher m = Pattern.compile("\"done\":\\[([0-9,]*)]").matcher(Files.readString(manifest));
            return m.find() ? (m.group(1).isEmpty() ? 0 : m.group(1).split(",").length) : 0;
        } catch (IOException e) {
            return 0; // replaced while read
        }
    }

    @Test // the manifest holds the matrix's content hash: a changed file of the same name must not resume old shards
    void aMatrixFileChangedUnderTheSameNameIsRefusedNotResumed() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 8, 5);
        Path w = dir.resolve("W.npy");
        int d = MODEL.cfg().dModel();
        float[] values = new float[d * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Npy.write(w, Tensor.of(values, d, 2));
        var o = options(List.of(FeatureSource.fromNpy("blocks.0.hook_resid_post=" + w)), 2, 16, false, 1);
        TopActivations.Result first = TopActivations.run(MODEL, Corpus.of(corpus), o, dir.resolve("out"));
        Npy.write(w, Tensor.of(values.clone(), d, 2)); // the same content rewritten: resumes every shard
        var same = options(List.of(FeatureSource.fromNpy("blocks.0.hook_resid_post=" + w)), 2, 16, false, 1);
        assertEquals(first.shards(), TopActivations.run(MODEL, Corpus.of(corpus), same, dir.resolve("out")).resumed());
        values[3] += 1;
        Npy.write(w, Tensor.of(values, d, 2));
        var changed = options(List.of(FeatureSource.fromNpy("blocks.0.hook_resid_post=" + w)), 2, 16, false, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                changed, dir.resolve("out")));
        assertTrue(e.getMessage().contains("already holds the results of a different job or settings"), e.getMessage());
    }

    @Test
    void badInputGetsOneClearLine() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 8, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                options(List.of(FeatureSource.units("blocks.1.attn.hook_zz")), 2, 16, false, 1), dir.resolve("a")));
        assertTrue(e.getMessage().contains("blocks.1.attn.hook_z"), "nearest name suggested: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                options(List.of(FeatureSource.units("blocks.1.attn.hook_pattern")), 2, 16, false, 1),
                dir.resolve("a")));
        assertTrue(e.getMessage().contains("hook_pattern is [batch, head_index, query_pos, key_pos]"), e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(empty),
                options(List.of(FeatureSource.units(Z1)), 2, 16, false, 1), dir.resolve("b")));
        assertTrue(e.getMessage().contains("holds no context of 16 tokens (0 documents, 0 tokens)"), e.getMessage());

        TopActivations.run(MODEL, Corpus.of(corpus), options(List.of(FeatureSource.units(Z1)), 2, 16, false, 1),
                dir.resolve("c"));
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                options(List.of(FeatureSource.units(Z1)), 3, 16, false, 1), dir.resolve("c")));
        assertTrue(e.getMessage().contains("already holds the results of a different job or settings"), e.getMessage());
        Files.writeString(dir.resolve("d.txt"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                options(List.of(FeatureSource.units(Z1)), 3, 16, false, 1), dir));
        assertTrue(e.getMessage().contains("already holds other files"), e.getMessage());
        var o = new TopActivations.Options(List.of(FeatureSource.units(Z1)), 3, 16, false, 4, 8, 1, 3, 4, true);
        assertEquals(3, TopActivations.run(MODEL, Corpus.of(corpus), o, dir.resolve("c")).sources().getFirst().top()
                .k());
    }
}
