// The activation export: its files hold exactly the cached activations, and numpy alone reads them back.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.PythonFixtures;
import dev.jlens.model.RunOptions;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.weights.SafeTensorsFile;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationExportTest {
    private static final HookedGpt2 MODEL = BuiltinModels.load("induction-2l");
    private static final List<String> HOOKS = List.of("blocks.0.hook_resid_post", "blocks.1.attn.hook_z");
    private static final int CTX = 32;

    @TempDir
    Path dir;

    private static List<Context> contexts(Path corpus) {
        List<Context> out = new ArrayList<>();
        try (ContextStream s = ContextStream.concatenated(Corpus.of(corpus), MODEL.tokenizer(), CTX)) {
            for (Context c = s.next(); c != null; c = s.next()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Per hook, per context: the cached activation [CTX, ...] of the same batches of 4, flattened. */
    private static Map<String, List<float[]>> cached(List<Context> contexts) {
        Map<String, List<float[]>> out = new HashMap<>();
        for (int from = 0; from < contexts.size(); from += 4) {
            List<Context> batch = contexts.subList(from, Math.min(contexts.size(), from + 4));
            var cache = MODEL.runWithCache(batch.stream().map(Context::tokens).toArray(int[][]::new),
                    NameFilter.anyOf(HOOKS), false, RunOptions.defaults()).cache();
            for (String h : HOOKS) {
                for (int b = 0; b < batch.size(); b++) {
                    out.computeIfAbsent(h, k -> new ArrayList<>()).add(cache.get(h).select(0, b).toArray());
                }
            }
        }
        return out;
    }

    @Test
    void shardsHoldTheCachedActivationsAndTokensAtTheChosenPositions() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 20, 9);
        List<Context> contexts = contexts(corpus);
        Map<String, List<float[]>> want = cached(contexts);
        var o = new ActivationExport.Options(HOOKS, CTX, false, new int[] {0, 5, -1}, 4, 8, 2, false);
        ActivationExport.Result r = ActivationExport.run(MODEL, Corpus.of(corpus), o, dir.resolve("out"));
        assertEquals(contexts.size(), r.contexts());
        assertEquals((contexts.size() + 7) / 8, r.shards());
        int[] positions = {0, 5, CTX - 1};
        for (int s = 0; s < r.shards(); s++) {
            try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve("out/shards").resolve(String.format(
                    "shard-%06d.safetensors", s)))) {
                assertEquals(Integer.toString(8 * s), f.metadata().get("first_context"));
                Tensor tokens = f.tensor("tokens");
                Tensor z = f.tensor("blocks.1.attn.hook_z");
                assertArrayEquals(new int[] {tokens.size(0), 3, 8, 64}, z.shape());
                for (int i = 0; i < tokens.size(0); i++) {
                    Context c = contexts.get(8 * s + i);
                    for (int p = 0; p < CTX; p++) {
                        assertEquals(c.tokens()[p], (int) tokens.get(i, p));
                    }
                    for (String h : HOOKS) {
                        float[] got = f.tensor(h).select(0, i).toArray();
                        float[] all = want.get(h).get(c.index());
                        int width = all.length / CTX;
                        for (int j = 0; j < 3; j++) {
                            assertArrayEquals(java.util.Arrays.copyOfRange(all, positions[j] * width,
                                    (positions[j] + 1) * width), java.util.Arrays.copyOfRange(got, j * width,
                                    (j + 1) * width), h + " context " + c.index() + " position " + positions[j]);
                        }
                    }
                }
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new ActivationExport.Options(HOOKS, CTX, false,
                new int[] {CTX}, 4, 8, 1, false));
        assertEquals("position 32 is outside a context of 32 tokens", e.getMessage());
    }

    @Test // numpy alone (scripts/reference/read_export.py) reads the files, checks their shapes, and sums them
    void numpyReadsTheExport() throws Exception {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 12, 10);
        List<Context> contexts = contexts(corpus);
        Map<String, List<float[]>> want = cached(contexts);
        ActivationExport.run(MODEL, Corpus.of(corpus), new ActivationExport.Options(HOOKS, CTX, false, null, 4, 8, 1,
                false), dir.resolve("out"));
        Path summary = dir.resolve("summary.json");
        PythonFixtures.run("python3", "scripts/reference/read_export.py", dir.resolve("out").toString(), "--out",
                summary.toString());
        Map<String, Double> sums = new HashMap<>();
        List<Integer> tokens = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(summary.toFile())) {
            String section = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().getParent().inRoot()) {
                    section = p.currentName();
                } else if (t == JsonToken.VALUE_NUMBER_FLOAT && "sums".equals(section)) {
                    sums.put(p.currentName(), p.getDoubleValue());
                } else if (t == JsonToken.VALUE_NUMBER_INT && "tokens".equals(section)) {
                    tokens.add(p.getIntValue());
                }
            }
        }
        List<Integer> wantTokens = new ArrayList<>();
        contexts.forEach(c -> java.util.Arrays.stream(c.tokens()).forEach(wantTokens::add));
        assertEquals(wantTokens, tokens);
        for (String h : HOOKS) {
            double sum = 0;
            for (float[] a : want.get(h)) {
                for (float v : a) {
                    sum += v;
                }
            }
            // both sum the same float32 values in float64, numpy pairwise: only the order differs
            assertTrue(sums.containsKey(h), h);
            assertEquals(sum, sums.get(h), 1e-9 * Math.max(1, Math.abs(sum)), h);
        }
    }
}
