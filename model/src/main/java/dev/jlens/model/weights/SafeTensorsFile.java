// A memory-mapped safetensors file: tensors are views over the mapping, nothing is copied onto the heap.
// Format (huggingface/safetensors, docs "Format"): u64 little-endian header length N, N bytes of UTF-8 JSON,
// then the data buffer that every data_offsets pair is relative to. Mirrors safe_open(..., framework="pt").
package dev.jlens.model.weights;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.FileRegion;
import dev.jlens.tensor.storage.SegmentStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file. {@link #open} maps the whole file read-only into a shared {@link Arena} and validates
 * the header (every problem is a {@link SafeTensorsException} naming the file, tensor and offset); {@link #tensor}
 * returns a {@link Tensor} over {@link SegmentStorage}, with F16 and BF16 widened to float on read, so a 6 GB
 * gpt2-xl checkpoint opens without a heap copy. The tensors stay valid until {@link #close}; reading one after that
 * throws {@link IllegalStateException}. Safe to read from several threads.
 */
public final class SafeTensorsFile implements AutoCloseable {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment data; // the data buffer: [file offset 8 + N, end of file)
    private final FileRegion dataRegion; // where the data buffer starts in the file, and the file's identity
    private final SafeTensorsHeader header;

    private SafeTensorsFile(Path path, Arena arena, MemorySegment data, FileRegion dataRegion,
            SafeTensorsHeader header) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.dataRegion = dataRegion;
        this.header = header;
    }

    /** Maps and validates {@code path}; the caller closes the result. */
    public static SafeTensorsFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            return open(path, FileRegion.of(path, 0), arena); // the file's identity, read before it is mapped
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot open safetensors file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Maps path into arena and validates its header; origin is the file's identity, read before the mapping. */
    private static SafeTensorsFile open(Path path, FileRegion origin, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafeTensorsException(path, "the file is " + size + " bytes, shorter than the 8-byte header "
                        + "length; not a safetensors file");
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long n = file.get(U64, 0);
            if (Long.compareUnsigned(n, size - 8) > 0) {
                throw new SafeTensorsException(path, "the header length " + Long.toUnsignedString(n)
                        + " (file offset 0) reaches past the end of the file (" + size + " bytes); truncated or not "
                        + "safetensors");
            }
            if (n > SafeTensorsHeader.MAX_HEADER_BYTES) {
                throw new SafeTensorsException(path, "the header length " + n + " exceeds the "
                        + SafeTensorsHeader.MAX_HEADER_BYTES + "-byte limit of the format");
            }
            byte[] json = file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = 8 + n;
            SafeTensorsHeader header = SafeTensorsHeader.parse(path, json, dataStart, size - dataStart);
            return new SafeTensorsFile(path, arena, file.asSlice(dataStart), origin.plus(dataStart), header);
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return header.entries().keySet();
    }

    /** True when the file holds {@code name}. */
    public boolean contains(String name) {
        return header.entries().containsKey(name);
    }

    /** The header entry of {@code name}: dtype, shape and offsets. */
    public SafeTensorsEntry entry(String name) {
        SafeTensorsEntry e = header.entries().get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + ": no tensor '" + name + "'; it holds " + header.entries().size()
                    + " tensors, e.g. " + names().stream().limit(8).toList());
        }
        return e;
    }

    /** The tensor {@code name} as a read-only view over the mapping (no copy). */
    public Tensor tensor(String name) {
        SafeTensorsEntry e = entry(name);
        MemorySegment bytes = data.asSlice(e.begin(), e.byteSize());
        int[] shape = e.shape();
        SegmentStorage storage = new SegmentStorage(bytes, e.dtype(), dataRegion.plus(e.begin()));
        return Tensor.view(storage, shape, Shape.contiguousStrides(shape), 0);
    }

    /** Every tensor, in header order (views, as {@link #tensor}). */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names()) {
            out.put(name, tensor(name));
        }
        return out;
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The file offset where the data buffer starts (8 + header length). */
    public long dataStart() {
        return dataRegion.offset();
    }

    /** Unmaps the file; tensors from it must not be read afterwards. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
