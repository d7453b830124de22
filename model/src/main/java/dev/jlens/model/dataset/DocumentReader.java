// Pulls a corpus's documents one at a time: text lines, whole files, or one JSONL field per line.
package dev.jlens.model.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The documents of a {@link Corpus}, in order; {@link #next} returns null after the last. Not thread-safe. */
public abstract class DocumentReader implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** For the readers below and {@link #of}; a subclass supplies {@link #next}. */
    protected DocumentReader() {}

    /** The next document, or null when there are no more. */
    public abstract String next();

    /** JSONL lines skipped as bad so far (always 0 unless the corpus skips bad lines). */
    public long skippedLines() {
        return 0;
    }

    @Override
    public void close() {}

    /** The documents {@code docs} yields, in order (e.g. rows of a Spark column streamed to the driver). */
    public static DocumentReader of(Iterator<String> docs) {
        return new DocumentReader() {
            @Override
            public String next() {
                return docs.hasNext() ? docs.next() : null;
            }
        };
    }

    /** One document per line of a UTF-8 text file (lines end at \n, \r\n or \r; an empty line is an empty document). */
    static DocumentReader lines(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return new DocumentReader() {
            @Override
            public String next() {
                return readLine(in, file);
            }

            @Override
            public void close() {
                closeQuietly(in);
            }
        };
    }

    /** One document per file, the whole file as UTF-8. */
    static DocumentReader files(List<Path> files) {
        Iterator<Path> it = files.iterator();
        return new DocumentReader() {
            @Override
            public String next() {
                if (!it.hasNext()) {
                    return null;
                }
                Path f = it.next();
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read corpus file " + f + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** The string {@code field} of each JSONL line; blank lines are skipped silently. */
    static DocumentReader jsonl(Path file, String field, boolean skipBad) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return new DocumentReader() {
            private long lineNumber;
            private long skipped;

            @Override
            public String next() {
                for (String line = readLine(in, file); line != null; line = readLine(in, file)) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String bad = null;
                    String text = null;
                    try {
                        text = field(line, field);
                        if (text == null) {
                            bad = "has no string field \"" + field + "\"";
                        }
                    } catch (JsonProcessingException e) {
                        bad = "is not a JSON object (" + e.getOriginalMessage() + ")";
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (bad == null) {
                        return text;
                    }
                    if (!skipBad) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + " " + bad
                                + " (--skip-bad-lines skips and counts such lines)");
                    }
                    skipped++;
                }
                return null;
            }

            @Override
            public long skippedLines() {
                return skipped;
            }

            @Override
            public void close() {
                closeQuietly(in);
            }
        };
    }

    /** The string value of top-level {@code name} in a one-line JSON object, or null; throws on malformed JSON. */
    private static String field(String line, String name) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "expected an object");
            }
            String found = null;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals(name) && v == JsonToken.VALUE_STRING) {
                    found = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new JsonParseException(p, "trailing content after the object");
            }
            return found;
        }
    }

    private static String readLine(BufferedReader in, Path file) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(BufferedReader in) {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
