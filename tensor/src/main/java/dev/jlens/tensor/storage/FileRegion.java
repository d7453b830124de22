// Where a mapped segment's bytes lie in a file: a holder that outlives the mapping maps them again for itself.
package dev.jlens.tensor.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bytes of {@code file} from byte {@code offset} on, as a {@link SegmentStorage} of a mapping remembers them, so that a
 * tensor can outlive the mapping it was read from (e.g. an embedding table kept after its checkpoint closes) without a
 * copy: only the pages it reads become resident.
 *
 * @param file   the mapped file
 * @param offset the byte offset in it of the segment's first byte
 */
public record FileRegion(Path file, long offset) {
    /** The region {@code bytes} further on. */
    public FileRegion plus(long bytes) {
        return new FileRegion(file, offset + bytes);
    }

    /**
     * {@code bytes} bytes from here, mapped read-only for as long as the segment is reachable (unmapped by the garbage
     * collector after that). Reading it after the file was truncated below it throws {@link InternalError} (the JVM's
     * answer to SIGBUS), not a crash.
     *
     * @throws IllegalStateException when the file no longer holds those bytes
     */
    public MemorySegment mapKept(long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < offset + bytes) {
                throw new IllegalStateException(file + " is " + ch.size() + " bytes now, too short for the " + bytes
                        + " bytes at offset " + offset + " it held when it was opened; it changed while being read");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, Arena.ofAuto());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + bytes + " bytes at offset " + offset + " of " + file
                    + " again: " + e.getMessage(), e);
        }
    }
}
