// Reads a JSONL of patching prompt pairs: {"clean": ..., "corrupted": ..., "answers": [correct, incorrect]}.
package dev.jlens.model.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The pairs of a dataset-patching job, each with its line number for messages. */
public final class PromptPairs {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One line.
     *
     * @param line      its line number, from 1
     * @param clean     the clean prompt
     * @param corrupted the corrupted prompt (the same number of tokens)
     * @param correct   the answer the clean prompt should give
     * @param incorrect the answer the corrupted prompt should give
     */
    public record Pair(int line, String clean, String corrupted, String correct, String incorrect)
            implements java.io.Serializable {}

    private PromptPairs() {}

    /** Every pair of {@code file}; blank lines are skipped, a bad line is an error naming it. */
    public static List<Pair> read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("prompt pairs " + file + (Files.exists(file) ? " are not readable"
                    : " do not exist"));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                pairs.add(parse(file, i + 1, lines.get(i)));
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("prompt pairs " + file + " hold no pair");
        }
        return pairs;
    }

    private static Pair parse(Path file, int line, String text) {
        String clean = null;
        String corrupted = null;
        List<String> answers = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(file, line, "is not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                switch (key) {
                    case "clean" -> clean = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "corrupted" -> corrupted = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "answers" -> {
                        if (v != JsonToken.START_ARRAY) {
                            throw bad(file, line, "has \"answers\" that is not a list");
                        }
                        for (JsonToken a = p.nextToken(); a == JsonToken.VALUE_STRING; a = p.nextToken()) {
                            answers.add(p.getText());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw bad(file, line, "is not a JSON object (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (clean == null || corrupted == null || answers.size() != 2) {
            throw bad(file, line, "needs string fields \"clean\" and \"corrupted\" and \"answers\": [correct, "
                    + "incorrect]");
        }
        return new Pair(line, clean, corrupted, answers.get(0), answers.get(1));
    }

    private static IllegalArgumentException bad(Path file, int line, String what) {
        return new IllegalArgumentException(file + " line " + line + " " + what);
    }
}
