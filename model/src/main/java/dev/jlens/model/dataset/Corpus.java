// Where a corpus's documents come from: a .txt file (one per line), a folder (one per file) or JSONL (a field).
package dev.jlens.model.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A corpus on disk, checked when made (exists, readable, the right kind). Reading it twice gives the same
 * documents in the same order: a folder's files are read in name order.
 *
 * @param path         a .txt file, a .jsonl/.json file or a folder
 * @param field        the JSONL field holding the text; null for text files and folders
 * @param skipBadLines skip (and count) JSONL lines that are not JSON objects or lack the field, instead of failing
 */
public record Corpus(Path path, String field, boolean skipBadLines) implements DocumentSource {
    /** Checks the path and the field; throws naming the file when it is missing or unreadable. */
    public Corpus {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("corpus " + path + " does not exist");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("corpus " + path + " is not readable");
        }
        if (isJsonl(path) && (field == null || field.isEmpty())) {
            throw new IllegalArgumentException("corpus " + path + " is JSONL: name its text field (--field F)");
        }
        if (!isJsonl(path) && field != null) {
            throw new IllegalArgumentException("corpus " + path + " is not JSONL (.jsonl or .json); --field "
                    + field + " applies to JSONL only");
        }
    }

    /** A text file or folder corpus. */
    public static Corpus of(Path path) {
        return new Corpus(path, null, false);
    }

    private static boolean isJsonl(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return !Files.isDirectory(path) && (name.endsWith(".jsonl") || name.endsWith(".json"));
    }

    /** A fresh reader of the documents, from the first; close it. */
    @Override
    public DocumentReader open() {
        try {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> list = Files.list(path)) {
                    files = list.filter(Files::isRegularFile).sorted().toList();
                }
                return DocumentReader.files(files);
            }
            return isJsonl(path) ? DocumentReader.jsonl(path, field, skipBadLines) : DocumentReader.lines(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + path + ": " + e.getMessage(), e);
        }
    }

    /** The path and, for JSONL, the field and whether bad lines are skipped. */
    @Override
    public String describe() {
        return path + (field == null ? "" : " (field " + field + (skipBadLines ? ", skipping bad lines" : "") + ")");
    }
}
