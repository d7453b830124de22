// Reads Hugging Face's slow-tokenizer files into a Vocabulary: vocab.json + merges.txt (what GPT2Tokenizer loads).
// Mirrors GPT2Tokenizer.__init__; tokenizer.json is read by TokenizerJson.
package dev.jlens.model.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loaders for HF tokenizer files; errors name the file and, where there is one, the line or JSON location. */
final class HfFiles {
    /** GPT-2's only added token, also its BOS, EOS, PAD and UNK. */
    static final String END_OF_TEXT = "<|endoftext|>";

    private static final JsonFactory JSON = new JsonFactory();

    private HfFiles() {}

    /** vocab.json + merges.txt; {@code <|endoftext|>} is the added token when the vocab has it (as GPT2Tokenizer). */
    static Vocabulary read(Path vocabJson, Path mergesTxt) {
        Map<String, Integer> vocab;
        try (JsonParser p = JSON.createParser(vocabJson.toFile())) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, vocabJson);
            vocab = readVocab(p, vocabJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + vocabJson + ": " + e.getMessage(), e);
        }
        List<String[]> merges = readMerges(mergesTxt);
        Map<String, Integer> added = vocab.containsKey(END_OF_TEXT) ? Map.of(END_OF_TEXT, vocab.get(END_OF_TEXT))
                : Map.of();
        return Vocabulary.of(vocab, merges, added, vocabJson + " + " + mergesTxt, false);
    }

    private static Map<String, Integer> readVocab(JsonParser p, Path file) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            expect(p, p.nextToken(), JsonToken.VALUE_NUMBER_INT, file);
            if (vocab.put(token, p.getIntValue()) != null) {
                throw error(p, file, "token " + ByteLevel.quote(token) + " appears twice");
            }
        }
        return vocab;
    }

    private static List<String[]> readMerges(Path mergesTxt) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mergesTxt + ": " + e.getMessage(), e);
        }
        List<String[]> merges = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if ((i == 0 && line.startsWith("#version")) || line.isEmpty()) {
                continue;
            }
            merges.add(splitMerge(line, mergesTxt + " line " + (i + 1)));
        }
        return merges;
    }

    private static String[] splitMerge(String merge, String where) {
        String[] parts = merge.split(" ", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException(where + ": a merge is two tokens separated by one space, got "
                    + ByteLevel.quote(merge));
        }
        return parts;
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want, Path file) throws IOException {
        if (got != want) {
            throw error(p, file, "expected " + want + " but found " + got);
        }
    }

    private static IllegalArgumentException error(JsonParser p, Path file, String what) {
        var loc = p.currentLocation();
        return new IllegalArgumentException(file + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                + "): " + what);
    }
}
