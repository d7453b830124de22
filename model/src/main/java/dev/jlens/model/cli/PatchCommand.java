// ./jlens patch: one activation-patching sweep of clean prompts into corrupted ones, as a table, JSON and .npy.
package dev.jlens.model.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchMetrics;
import dev.jlens.model.patching.PatchMetrics.Normalized;
import dev.jlens.model.patching.PatchType;
import dev.jlens.model.patching.Patching;
import dev.jlens.model.plot.Heatmap;
import dev.jlens.model.plot.Labels;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Tokenizes the clean and corrupted prompts (BOS first; row b of each is prompt b; prompts of different lengths are
 * left-padded and masked, each clean/corrupted pair of one length), scores them with the metric,
 * runs the sweep {@link PatchType#of(String, boolean) of --act} with the fast loop (or TL's naive loop with
 * --naive, or attribution patching's first-order estimates with --attribution), writes the result with TL's axes to --out as .npy, and prints the baselines, the sweep's speed and its
 * top entries (or everything as JSON); with a plot folder it draws the result as a heatmap with the seeds' axes
 * (layer x "tok_i" position, layer x head, or "L{l}H{h}" x position for sweeps by position). Metrics, both normalised to 0 at the corrupted run and 1 at the clean run:
 * <ul>
 *   <li>logit-diff: the IOI seed's mean logit difference of (correct, incorrect) answers at the last position;
 *   <li>logprob: mean log-probability of the clean prompt's own next tokens from the first position where the
 *       prompts differ (the induction setup: clean A A, corrupted A B).
 * </ul>
 */
final class PatchCommand {
    private static final int TOP = 10;

    /** What to sweep and how: the flags of the command besides the model and the prompts. */
    record Request(String act, boolean byPos, String metric, List<String> answers, boolean naive,
            boolean attribution, boolean json, Path out, PlotDir plots) {}

    private PatchCommand() {}

    static int run(HookedGpt2 model, List<String> cleanPrompts, List<String> corruptedPrompts, Request request,
            PrintStream out) {
        if (request.naive() && request.attribution()) {
            throw new IllegalArgumentException("patch: give --naive (exact, TL's loop) or --attribution (estimates),"
                    + " not both");
        }
        TokenBatch cleanBatch = model.toTokens(cleanPrompts, true, PaddingSide.LEFT);
        TokenBatch corruptedBatch = model.toTokens(corruptedPrompts, true, PaddingSide.LEFT);
        checkPairs(model, cleanBatch, corruptedBatch);
        int[][] clean = cleanBatch.ids();
        int[][] corrupted = corruptedBatch.ids();
        int[][] mask = Arrays.stream(cleanBatch.attentionMask()).flatMapToInt(Arrays::stream).allMatch(m -> m == 1)
                ? null : cleanBatch.attentionMask(); // [batch][pos]; null when no prompt is padded
        PatchType type = PatchType.of(request.act(), request.byPos());
        Normalized metric = metric(model, clean, corrupted, mask, request);
        long start = System.nanoTime();
        Tensor result = request.attribution()
                ? AttributionPatching.actPatch(model, clean, corrupted, mask, metric.differentiable(), type)
                : Patching.actPatch(model, clean, corrupted, mask, metric.metric(), type, !request.naive());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (request.out() != null) {
            write(request.out(), result);
        }
        String[] axes = type.setter().axes();
        if (request.json()) {
            out.println(json(model, type, axes, metric, result, loop(request), seconds));
        } else {
            table(model, clean[0], type, axes, metric, result, request, seconds, out);
        }
        if (request.plots() != null) {
            plot(request.plots(), strTokens(model, clean[0]), type, axes, metric, result);
        }
        return 0;
    }

    // the seeds' pictures: [layer, pos] and [layer, head] as they are, [layer, pos, head] and [layer, head, pos]
    // as rows "(layer head)" against positions
    private static void plot(PlotDir plots, List<String> tokens, PatchType type, String[] axes, Normalized metric,
            Tensor result) {
        int layers = result.size(0);
        Heatmap.Builder map = switch (String.join(",", axes)) {
            case "layer,pos" -> Heatmap.of(result).x(Labels.positions(tokens)).xTitle("Position").yTitle("Layer");
            case "layer,head" -> Heatmap.of(result).xTitle("Head").yTitle("Layer");
            case "layer,pos,head" -> Heatmap.of(result.permute(0, 2, 1).contiguous()
                    .reshape(layers * result.size(2), result.size(1))).x(Labels.positions(tokens))
                    .y(Labels.allHeads(layers, result.size(2))).xTitle("Position").yTitle("Head");
            case "layer,head,dest_pos" -> Heatmap.of(result.reshape(layers * result.size(1), result.size(2)))
                    .x(Labels.positions(tokens)).y(Labels.allHeads(layers, result.size(1)))
                    .xTitle("Destination position").yTitle("Head");
            default -> throw new IllegalStateException("patch: no plot for a result with axes " + String.join(", ",
                    axes));
        };
        String name = "patch_" + type.name().toLowerCase(Locale.ROOT); // patch_attn_head_out_all_pos, ...
        plots.write(map.title(type.tlFunction() + " (" + metric.name() + ", normalised)").colorTitle(metric.name()
                + ": 0 = corrupted, 1 = clean").build(), name, type.tlFunction());
    }

    private static String loop(Request request) {
        return request.attribution() ? "attribution" : request.naive() ? "naive" : "fast";
    }

    private static Normalized metric(HookedGpt2 model, int[][] clean, int[][] corrupted, int[][] mask,
            Request request) {
        String name = request.metric() != null ? request.metric()
                : request.answers().isEmpty() ? "logprob" : "logit-diff";
        return switch (name) {
            case "logit-diff" -> PatchMetrics.logitDiffMetric(model, clean, corrupted, mask,
                    answers(model, request.answers(), clean.length));
            case "logprob" -> {
                if (!request.answers().isEmpty()) {
                    throw new IllegalArgumentException("patch: --answers goes with --metric logit-diff, not logprob");
                }
                yield PatchMetrics.cleanLogProbMetric(model, clean, corrupted, mask);
            }
            default -> throw new IllegalArgumentException("patch: --metric must be logit-diff or logprob, got '"
                    + name + "'");
        };
    }

    /** "--answers ' Mary, John'" once for every prompt, or once per prompt: [batch][correct, incorrect] ids. */
    private static int[][] answers(HookedGpt2 model, List<String> flags, int batch) {
        if (flags.isEmpty()) {
            throw new IllegalArgumentException("patch: --metric logit-diff needs --answers CORRECT,INCORRECT "
                    + "(e.g. --answers \" Mary, John\")");
        }
        if (flags.size() != 1 && flags.size() != batch) {
            throw new IllegalArgumentException("patch: give --answers once for all prompts or once per prompt ("
                    + batch + "), got " + flags.size());
        }
        int[][] ids = new int[batch][];
        for (int b = 0; b < batch; b++) {
            String flag = flags.get(flags.size() == 1 ? 0 : b);
            String[] pair = flag.split(",", -1);
            if (pair.length != 2) {
                throw new IllegalArgumentException("patch: --answers '" + flag + "' must be two comma-separated "
                        + "answers, the correct one first");
            }
            ids[b] = new int[2];
            for (int i = 0; i < 2; i++) {
                try {
                    ids[b][i] = model.toSingleToken(pair[i]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("patch: --answers '" + flag + "': " + e.getMessage(), e);
                }
            }
        }
        return ids;
    }

    /** One corrupted prompt per clean one, each pair of the same length in tokens (prompts may differ). */
    private static void checkPairs(HookedGpt2 model, TokenBatch clean, TokenBatch corrupted) {
        if (clean.batch() != corrupted.batch()) {
            throw new IllegalArgumentException("patch: " + clean.batch() + " --clean prompts but "
                    + corrupted.batch() + " --corrupted prompts; give one corrupted prompt per clean prompt");
        }
        for (int b = 0; b < clean.batch(); b++) {
            int[] c = real(clean, b);
            int[] d = real(corrupted, b);
            if (c.length != d.length) { // then both batches pad every row alike
                throw new IllegalArgumentException("patch: clean prompt " + b + " has " + c.length
                        + " tokens and its corrupted prompt " + d.length + "; patching swaps activations position "
                        + "by position, so each pair must match: " + strTokens(model, c) + " vs "
                        + strTokens(model, d));
            }
        }
    }

    /** Row b's tokens without its pads. */
    private static int[] real(TokenBatch batch, int b) {
        int pads = (int) Arrays.stream(batch.attentionMask()[b]).filter(m -> m == 0).count();
        return Arrays.copyOfRange(batch.ids()[b], pads, batch.length());
    }

    private static List<String> strTokens(HookedGpt2 model, int[] row) {
        return Arrays.stream(row).mapToObj(id -> model.tokenizer().tokenString(id)).toList();
    }

    private static void write(Path file, Tensor result) {
        try {
            Npy.write(file, result);
        } catch (IOException e) {
            throw new UncheckedIOException("patch: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void table(HookedGpt2 model, int[] cleanRow, PatchType type, String[] axes, Normalized metric,
            Tensor result, Request request, double seconds, PrintStream out) {
        out.println("model: " + model);
        out.printf("sweep: %s (%s), %s%n", type.tlFunction(), type.activation(), request.attribution()
                ? "attribution patching (first-order estimates from one backward)" : loop(request) + " loop");
        out.printf(Locale.ROOT, "metric: %s, clean %.4f, corrupted %.4f; values are normalised: 0 = corrupted, "
                + "1 = clean%n", metric.name(), metric.clean(), metric.corrupted());
        out.printf(Locale.ROOT, "result: [%s] %s, %d patches in %.2f s (%.1f patches/s)%n", String.join(", ", axes),
                Shape.str(result.shape()), result.numel(), seconds, result.numel() / seconds);
        if (request.out() != null) {
            out.println("written: " + request.out());
        }
        out.println("top " + Math.min(TOP, result.numel()) + " by value:");
        float[] values = result.contiguous().toArray();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        for (int i : order.subList(0, Math.min(TOP, values.length))) {
            out.printf(Locale.ROOT, "  %8.4f  %s%n", values[i], label(model, cleanRow, axes, result.shape(), i));
        }
    }

    // flat index -> "layer 1, pos 7 ' Mary', head 5"
    private static String label(HookedGpt2 model, int[] cleanRow, String[] axes, int[] shape, int flat) {
        String[] parts = new String[axes.length];
        for (int d = axes.length - 1; d >= 0; d--) {
            int i = flat % shape[d];
            flat /= shape[d];
            String axis = axes[d].replace("head_index", "head");
            parts[d] = axis + " " + i + (axis.endsWith("pos") ? " '" + model.tokenizer().tokenString(cleanRow[i])
                    .replace("\n", "\\n") + "'" : "");
        }
        return String.join(", ", parts);
    }

    private static String json(HookedGpt2 model, PatchType type, String[] axes, Normalized metric, Tensor result,
            String loop, double seconds) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("model", model.cfg().modelName());
            g.writeStringField("sweep", type.tlFunction());
            g.writeStringField("activation", type.activation());
            g.writeArrayFieldStart("axes");
            for (String axis : axes) {
                g.writeString(axis);
            }
            g.writeEndArray();
            g.writeStringField("metric", metric.name());
            g.writeNumberField("clean", metric.clean());
            g.writeNumberField("corrupted", metric.corrupted());
            g.writeBooleanField("naive", loop.equals("naive"));
            g.writeStringField("loop", loop);
            g.writeNumberField("seconds", seconds);
            g.writeFieldName("values"); // nested arrays with the shape of the axes
            nested(g, result, 0, new int[result.rank()]);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    private static void nested(JsonGenerator g, Tensor t, int dim, int[] index) throws IOException {
        if (dim == t.rank()) {
            g.writeNumber(t.get(index));
            return;
        }
        g.writeStartArray();
        for (int i = 0; i < t.size(dim); i++) {
            index[dim] = i;
            nested(g, t, dim + 1, index);
        }
        g.writeEndArray();
    }
}
