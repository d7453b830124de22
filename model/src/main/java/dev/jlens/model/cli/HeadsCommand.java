// ./jlens heads: every head's detector scores (previous-token, duplicate-token, induction) on the induction probe.
package dev.jlens.model.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.DetectionPattern;
import dev.jlens.model.analysis.HeadDetector;
import dev.jlens.model.analysis.HeadDetector.ErrorMeasure;
import dev.jlens.model.analysis.HeadScores;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.plot.Heatmap;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Feeds the probe of {@code run} (BOS + L random tokens, repeated twice) and scores every head [n_layers, n_heads]
 * three ways: with TL's detect_head ("mul", the default, or "abs"; averaged over the batch) or with the seeds'
 * stripe means ("stripe": {@link HeadScores}). Prints a table with the top head per score, or JSON; with a plot
 * folder, one heatmap [layer, head] per score.
 */
final class HeadsCommand {
    private HeadsCommand() {}

    static int run(HookedGpt2 model, String measure, int batch, int seqLen, long seed, boolean json,
            PlotDir plots, PrintStream out) {
        int[][] tokens = InductionModel.repeatedTokens(batch, seqLen, seed);
        ActivationCache cache = HeadDetector.patterns(model, tokens);
        Map<String, Tensor> scores = new LinkedHashMap<>();
        if (measure.equals("stripe")) {
            scores.put("previous_token_head", HeadScores.previousToken(cache));
            scores.put("duplicate_token_head", HeadScores.duplicateToken(cache, seqLen));
            scores.put("induction_head", HeadScores.induction(cache, seqLen));
        } else {
            HeadDetector.Options options = HeadDetector.Options.defaults().measuring(errorMeasure(measure));
            for (DetectionPattern p : DetectionPattern.values()) {
                scores.put(p.tlName(), HeadDetector.detect(cache, tokens, p, options));
            }
        }
        if (json) {
            out.println(json(model, measure, batch, seqLen, seed, scores));
        } else {
            table(model, measure, batch, seqLen, seed, scores, out);
        }
        if (plots != null) {
            for (Map.Entry<String, Tensor> e : scores.entrySet()) {
                plots.write(Heatmap.of(e.getValue()).title(e.getKey() + " score by head (" + measure + ", "
                        + model.cfg().modelName() + ")").xTitle("Head").yTitle("Layer").colorTitle("score")
                        .showValues(true).build(), "heads_" + e.getKey(), e.getKey());
            }
        }
        return 0;
    }

    private static ErrorMeasure errorMeasure(String measure) {
        return switch (measure) {
            case "mul" -> ErrorMeasure.MUL;
            case "abs" -> ErrorMeasure.ABS;
            default -> throw new IllegalArgumentException("heads: --measure must be mul, abs or stripe, got '"
                    + measure + "'");
        };
    }

    private static void table(HookedGpt2 model, String measure, int batch, int seqLen, long seed,
            Map<String, Tensor> scores, PrintStream out) {
        out.println("model: " + model);
        out.printf("probe: BOS + %d random tokens, repeated twice; batch %d, seed %d%n", seqLen, batch, seed);
        out.println("scores: " + (measure.equals("stripe") ? "mean attention on the seeds' stripes"
                : "TL detect_head, error measure " + measure + ", mean over the batch"));
        out.printf("%-7s%s%n", "head", String.join("", scores.keySet().stream()
                .map(k -> String.format("%22s", k)).toList()));
        Tensor first = scores.values().iterator().next();
        for (int l = 0; l < first.size(0); l++) {
            for (int h = 0; h < first.size(1); h++) {
                StringBuilder row = new StringBuilder(String.format("%-7s", "L" + l + "H" + h));
                for (Tensor s : scores.values()) {
                    row.append(String.format(Locale.ROOT, "%22.4f", s.get(l, h)));
                }
                out.println(row);
            }
        }
        for (Map.Entry<String, Tensor> e : scores.entrySet()) {
            int best = (int) e.getValue().reshape(-1).argmax(0).item();
            int heads = first.size(1);
            out.printf(Locale.ROOT, "top %s: L%dH%d %.4f%n", e.getKey(), best / heads, best % heads,
                    e.getValue().get(best / heads, best % heads));
        }
    }

    private static String json(HookedGpt2 model, String measure, int batch, int seqLen, long seed,
            Map<String, Tensor> scores) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("model", model.cfg().modelName());
            g.writeStringField("measure", measure);
            g.writeNumberField("batch", batch);
            g.writeNumberField("seq_len", seqLen);
            g.writeNumberField("seed", seed);
            g.writeObjectFieldStart("scores"); // each [n_layers][n_heads]
            for (Map.Entry<String, Tensor> e : scores.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (int l = 0; l < e.getValue().size(0); l++) {
                    g.writeStartArray();
                    for (int h = 0; h < e.getValue().size(1); h++) {
                        g.writeNumber(e.getValue().get(l, h));
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }
}
