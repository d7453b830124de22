// Where a mapped segment's bytes lie in a file: a holder that outlives the mapping maps them again for itself.
package dev.jlens.tensor.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Bytes of {@code file} from byte {@code offset} on, as a {@link SegmentStorage} of a mapping remembers them, so that a
 * tensor can outlive the mapping it was read from (e.g. an embedding table kept after its checkpoint closes) without a
 * copy: only the pages it reads become resident.
 *
 * @param file    the mapped file
 * @param offset  the byte offset in it of the segment's first byte
 * @param fileKey the file's identity ({@link BasicFileAttributes#fileKey}, read before it was mapped; null when the
 *                file system has none), so that a file replaced at the same path is never mapped in its place
 */
public record FileRegion(Path file, long offset, Object fileKey) {
    /**
     * The region of {@code file} at {@code offset}, with the file's current identity: read it before mapping.
     *
     * @throws IOException when the file's attributes cannot be read (e.g. it does not exist)
     */
    public static FileRegion of(Path file, long offset) throws IOException {
        return new FileRegion(file, offset, key(file));
    }

    /** The region {@code bytes} further on. */
    public FileRegion plus(long bytes) {
        return new FileRegion(file, offset + bytes, fileKey);
    }

    /**
     * {@code bytes} bytes from here, mapped read-only for as long as the segment is reachable (unmapped by the garbage
     * collector after that). Reading it after the file was truncated below it throws {@link InternalError} (the JVM's
     * answer to SIGBUS), not a crash.
     *
     * @throws IllegalStateException when the file was replaced or no longer holds those bytes
     */
    public MemorySegment mapKept(long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (fileKey != null && !fileKey.equals(key(file))) { // read after opening: a later swap fails, never maps
                throw new IllegalStateException(file + " was replaced since it was opened (another file is at that "
                        + "path now); load the model again");
            }
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

    /** The identity of the file at {@code file} (inode and device on Linux), or null. */
    private static Object key(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
