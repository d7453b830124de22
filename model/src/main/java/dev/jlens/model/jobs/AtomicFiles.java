// Writes a job's files so that a crash or kill never leaves a torn one: a temporary file, then an atomic rename.
package dev.jlens.model.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** What resumption relies on: a file a job names as done is complete. */
final class AtomicFiles {
    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    interface Writer {
        /** Writes everything to {@code path}. */
        void write(Path path) throws IOException;
    }

    private AtomicFiles() {}

    /** Has {@code writer} fill FILE.tmp, then renames it to {@code file} atomically (replacing it). */
    static void write(Path file, Writer writer) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
