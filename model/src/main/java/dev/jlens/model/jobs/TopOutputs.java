// Writes the merged top activations: DIR/top.jsonl with token windows, and the dashboards of the top features.
package dev.jlens.model.jobs;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.jobs.TopActivations.Mined;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The second pass: reads the corpus again to cut the token window around every top entry (and keep the contexts the
 * dashboards show, whose activations are recomputed for highlighting), then writes top.jsonl, one line per source
 * and feature: {"hook", "feature", "top": [{"value", "context", "pos", "window_start", "tokens"}, ...] best first,
 * "mean", "max", "frac_active", "count", "histogram"}.
 */
final class TopOutputs {
    private static final JsonFactory JSON = new JsonFactory();

    /** One top entry's place in the results: source s, feature f, rank r. */
    private record Ref(int s, int f, int r) {}

    private TopOutputs() {}

    static void write(HookedGpt2 model, BatchRunner runner, Supplier<ContextStream> reopen, List<Mined> mined,
            TopActivations.Options o, Path out) {
        TopK.Entry[][][] entries = new TopK.Entry[mined.size()][][];          // [source][feature][rank]
        Window[][][] windows = new Window[mined.size()][][];                  // [source][feature][rank]
        Map<Integer, List<Ref>> byContext = new HashMap<>();
        for (int s = 0; s < mined.size(); s++) {
            TopK top = mined.get(s).top();
            entries[s] = new TopK.Entry[top.features()][];
            windows[s] = new Window[top.features()][];
            for (int f = 0; f < top.features(); f++) {
                entries[s][f] = top.sorted(f);
                windows[s][f] = new Window[entries[s][f].length];
                for (int r = 0; r < entries[s][f].length; r++) {
                    byContext.computeIfAbsent(entries[s][f][r].context(), c -> new ArrayList<>()).add(new Ref(s, f, r));
                }
            }
        }
        List<Dashboards.Feature> shown = chooseDashboards(mined, o);
        Map<Integer, Context> kept = new TreeMap<>();
        for (Dashboards.Feature d : shown) {
            for (TopK.Entry e : entries[d.source()][d.feature()]) {
                kept.put(e.context(), null);
            }
        }
        try (ContextStream contexts = reopen.get()) {
            for (Context c = contexts.next(); c != null; c = contexts.next()) {
                for (Ref ref : byContext.getOrDefault(c.index(), List.of())) {
                    windows[ref.s][ref.f][ref.r] = Window.around(c, entries[ref.s][ref.f][ref.r].pos(), o.window());
                }
                if (kept.containsKey(c.index())) {
                    kept.put(c.index(), c);
                }
            }
        }
        Gpt2Tokenizer tok = model.tokenizer();
        writeJsonl(out.resolve("top.jsonl"), mined, entries, windows, tok);
        Dashboards.write(out.resolve("dashboards"), mined, entries, windows, shown,
                activations(runner, List.copyOf(kept.values()), shown, o.batch()), tok);
    }

    /**
     * The named features in their order, then the o.dashboards() features with the largest max activation over all
     * sources (ties: source, then feature), each once.
     */
    private static List<Dashboards.Feature> chooseDashboards(List<Mined> mined, TopActivations.Options o) {
        List<String> labels = mined.stream().map(Mined::label).toList();
        java.util.LinkedHashSet<Dashboards.Feature> shown = new java.util.LinkedHashSet<>();
        for (TopActivations.Feature f : o.named()) {
            int s = labels.indexOf(f.source());
            shown.add(new Dashboards.Feature(s, f.feature(), mined.get(s).stats().max(f.feature())));
        }
        List<Dashboards.Feature> all = new ArrayList<>();
        for (int s = 0; s < mined.size(); s++) {
            for (int f = 0; f < mined.get(s).top().features(); f++) {
                all.add(new Dashboards.Feature(s, f, mined.get(s).stats().max(f)));
            }
        }
        all.sort(Comparator.comparingDouble((Dashboards.Feature d) -> -d.max()).thenComparingInt(d -> d.source())
                .thenComparingInt(d -> d.feature()));
        shown.addAll(all.subList(0, Math.min(o.dashboards(), all.size())));
        return List.copyOf(shown);
    }

    /** Activations [context index -> values over the context's positions] of each shown feature, recomputed. */
    private static Map<Dashboards.Feature, Map<Integer, float[]>> activations(BatchRunner runner,
            List<Context> contexts, List<Dashboards.Feature> shown, int batchSize) {
        Map<Dashboards.Feature, Map<Integer, float[]>> acts = new HashMap<>();
        for (Dashboards.Feature d : shown) {
            acts.put(d, new HashMap<>());
        }
        for (int from = 0; from < contexts.size(); from += batchSize) {
            List<Context> batch = contexts.subList(from, Math.min(contexts.size(), from + batchSize));
            float[][] values = runner.run(batch);
            int ctxLen = batch.getFirst().tokens().length;
            for (Dashboards.Feature d : shown) {
                float[] v = values[d.source()];
                int features = v.length / (batch.size() * ctxLen);
                for (int b = 0; b < batch.size(); b++) {
                    float[] row = new float[ctxLen];
                    for (int p = 0; p < ctxLen; p++) {
                        row[p] = v[(b * ctxLen + p) * features + d.feature()];
                    }
                    acts.get(d).put(batch.get(b).index(), row);
                }
            }
        }
        return acts;
    }

    private static void writeJsonl(Path file, List<Mined> mined, TopK.Entry[][][] entries, Window[][][] windows,
            Gpt2Tokenizer tok) {
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = JSON.createGenerator(os, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            for (int s = 0; s < mined.size(); s++) {
                FeatureStats st = mined.get(s).stats();
                for (int f = 0; f < entries[s].length; f++) {
                    g.writeStartObject();
                    g.writeStringField("hook", mined.get(s).label());
                    g.writeNumberField("feature", f);
                    g.writeArrayFieldStart("top");
                    for (int r = 0; r < entries[s][f].length; r++) {
                        TopK.Entry e = entries[s][f][r];
                        g.writeStartObject();
                        g.writeNumberField("value", e.value());
                        g.writeNumberField("context", e.context());
                        g.writeNumberField("pos", e.pos());
                        g.writeNumberField("window_start", windows[s][f][r].start());
                        g.writeArrayFieldStart("tokens");
                        for (int id : windows[s][f][r].ids()) {
                            g.writeString(tok.tokenString(id));
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeNumberField("mean", st.mean(f));
                    g.writeNumberField("max", st.max(f));
                    g.writeNumberField("frac_active", st.fracActive(f));
                    g.writeNumberField("count", st.count());
                    g.writeFieldName("histogram");
                    long[] h = st.histogram(f);
                    g.writeArray(h, 0, h.length);
                    g.writeEndObject();
                }
            }
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Token ids around a position.
     *
     * @param start the first position shown
     * @param ids   the tokens at start, start + 1, ...
     */
    record Window(int start, int[] ids) {
        static Window around(Context c, int pos, int w) {
            int from = Math.max(0, pos - w);
            int to = Math.min(c.length(), pos + w + 1);
            return new Window(from, Arrays.copyOfRange(c.tokens(), from, to));
        }
    }
}
