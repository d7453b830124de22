// ./jlens generate: continue prompts (text or ids), greedy or sampled, optionally steered; as text or JSON.
package dev.jlens.model.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.hooks.FwdHook;
import dev.jlens.model.GenerateOptions;
import dev.jlens.model.Generated;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.analysis.ActivationAddition;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates from --prompt texts or --tokens id rows (left-padded into one batch when their lengths differ) and
 * prints each row's prompt and continuation, or a JSON array of {"prompt_ids", "new_ids", "text"} (text: the
 * continuation). --steer LAYER:COEF:"text+":"text-" adds an ActAdd steering vector at the prompt's first positions.
 */
final class GenerateCommand {
    private GenerateCommand() {}

    /** What to generate from and how to print it. */
    record Request(List<String> prompts, List<String> tokenRows, List<String> steers, boolean json) {}

    static int run(HookedGpt2 model, Request r, GenerateOptions options, PrintStream out) {
        if (r.prompts().isEmpty() == r.tokenRows().isEmpty()) {
            throw new IllegalArgumentException("generate: give --prompt P or --tokens IDS (either may repeat), "
                    + "not both and not neither");
        }
        Generated g;
        if (!r.prompts().isEmpty()) {
            int[] lengths = r.prompts().stream().mapToInt(p -> model.toTokens(p)[0].length).toArray();
            g = model.generate(r.prompts(), options.hooks(steering(model, r.steers(), lengths)));
        } else {
            List<int[]> rows = r.tokenRows().stream().map(t -> Args.ids("--tokens", t)).toList();
            int[] lengths = rows.stream().mapToInt(row -> row.length).toArray();
            TokenBatch batch = TokenBatch.pad(rows, 0, PaddingSide.LEFT);
            g = model.generate(batch.ids(), batch.attentionMask(), options.hooks(steering(model, r.steers(),
                    lengths)));
        }
        out.print(r.json() ? json(model, g) + "\n" : text(model, g));
        return 0;
    }

    /** Parses LAYER:COEF:"text+":"text-" (quotes optional when a text holds no colon). */
    static ActivationAddition steering(HookedGpt2 model, String spec) {
        String[] head = spec.split(":", 3);
        if (head.length < 3) {
            throw new IllegalArgumentException("--steer expects LAYER:COEF:\"text+\":\"text-\", got '" + spec + "'");
        }
        List<String> texts = texts(head[2], spec);
        try {
            return ActivationAddition.fromPrompts(model, Integer.parseInt(head[0].trim()),
                    Double.parseDouble(head[1].trim()), texts.get(0), texts.get(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--steer: LAYER must be an integer and COEF a number in '" + spec
                    + "'");
        }
    }

    /** "a":"b", a:b or "a":b -> [a, b]. */
    private static List<String> texts(String rest, String spec) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (out.size() < 2) {
            int end;
            if (i < rest.length() && rest.charAt(i) == '"') {
                end = rest.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("--steer: unclosed quote in '" + spec + "'");
                }
                out.add(rest.substring(i + 1, end));
                end++;
            } else {
                end = out.isEmpty() ? rest.indexOf(':', i) : rest.length();
                out.add(rest.substring(i, end < 0 ? rest.length() : end));
                end = end < 0 ? rest.length() : end;
            }
            if (out.size() == 1 && (end >= rest.length() || rest.charAt(end) != ':')) {
                throw new IllegalArgumentException("--steer expects LAYER:COEF:\"text+\":\"text-\", got '" + spec
                        + "'");
            }
            i = end + 1;
        }
        return out;
    }

    /** ActAdd hooks for the --steer specs, each adding at every prompt's first positions, after its left pads. */
    private static List<FwdHook> steering(HookedGpt2 model, List<String> specs, int[] promptLengths) {
        int longest = Arrays.stream(promptLengths).max().orElse(0);
        int[] pads = Arrays.stream(promptLengths).map(length -> longest - length).toArray();
        List<FwdHook> hooks = new ArrayList<>();
        for (String spec : specs) {
            hooks.add(steering(model, spec).atStart(pads));
        }
        return hooks;
    }

    private static String text(HookedGpt2 model, Generated g) {
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < g.batch(); b++) {
            String prefix = g.batch() > 1 ? "[" + b + "] " : "";
            s.append(prefix).append(model.toString(g.promptIds(b))).append(model.toString(g.newIds(b))).append('\n');
        }
        return s.toString();
    }

    private static String json(HookedGpt2 model, Generated g) {
        StringWriter w = new StringWriter();
        try (JsonGenerator j = new JsonFactory().createGenerator(w)) {
            j.writeStartArray();
            for (int b = 0; b < g.batch(); b++) {
                j.writeStartObject();
                j.writeFieldName("prompt_ids");
                writeIds(j, g.promptIds(b));
                j.writeFieldName("new_ids");
                writeIds(j, g.newIds(b));
                j.writeStringField("text", model.toString(g.newIds(b)));
                j.writeEndObject();
            }
            j.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return w.toString();
    }

    private static void writeIds(JsonGenerator j, int[] ids) throws IOException {
        j.writeStartArray();
        for (int id : ids) {
            j.writeNumber(id);
        }
        j.writeEndArray();
    }

    private static String decode(HookedGpt2 model, int[] ids) {
        return model.toString(ids);
    }
}
