// A torch.save file (the zip format of PyTorch >= 1.6, or the legacy format: LegacyFormat) read as a state dict:
// tensors are views of the mapped file.
//
// Layout (torch/serialization.py _save): a zip of STORED entries under one folder, e.g. archive/: data.pkl (the
// pickled state dict, storages replaced by persistent ids ('storage', torch.FloatStorage, key, location, numel)),
// data/<key> (each storage's raw little-endian bytes), byteorder, version. Mirrors torch.load(weights_only=True):
// only the whitelist of TorchGlobals is honoured, and nothing is executed.
package dev.jlens.model.weights.torch;

import dev.jlens.model.weights.torch.Pickled.PyDict;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open PyTorch checkpoint holding a state dict ({@code torch.save(model.state_dict(), path)}). {@link #tensors}
 * are the float32 / float16 / bfloat16 tensors as read-only views over the memory-mapped file (halves widened to
 * float on read, tensors sharing a storage share it here too); integer and bool tensors (buffers such as a causal
 * mask) are listed by {@link #otherTensors}. Valid until {@link #close}. Every problem is a
 * {@link TorchFormatException} naming the file and the entry, key or byte offset.
 */
public final class TorchCheckpoint implements AutoCloseable {
    private static final String PICKLE = "data.pkl";

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> others;

    private TorchCheckpoint(Path path, Arena arena, Map<String, Tensor> tensors, Map<String, String> others) {
        this.path = path;
        this.arena = arena;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.others = Collections.unmodifiableMap(others);
    }

    /** Maps and reads {@code path}; the caller closes the result. */
    public static TorchCheckpoint open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Storages storages = new Storages(path, file);
            Object root = LegacyFormat.isLegacy(file) ? LegacyFormat.read(path, file, storages)
                    : readZip(path, file, storages);
            return stateDict(path, arena, root, storages);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot open PyTorch checkpoint " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The float tensors by state-dict key, in file order (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The integer and bool tensors, which the engine does not read, by key with their type and shape. */
    public Map<String, String> otherTensors() {
        return others;
    }

    /** Unmaps the file; tensors from it must not be read afterwards. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** The pickled object of a zip checkpoint, its storages placed at their entries' data. */
    private static Object readZip(Path path, MemorySegment file, Storages storages) {
        int first = file.byteSize() >= 4 ? file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                0) : 0;
        if (first != 0x04034b50) { // "PK\3\4"
            throw new TorchFormatException(path, "neither a torch.save zip nor the legacy format: it starts with "
                    + "neither a zip header nor the legacy magic number (" + file.byteSize() + " bytes)");
        }
        Map<String, ZipDirectory.Entry> entries = ZipDirectory.read(path, file);
        String prefix = archivePrefix(path, entries);
        checkByteOrder(path, file, entries.get(prefix + "byteorder"));
        ZipDirectory.Entry pickle = stored(path, entries.get(prefix + PICKLE));
        return Unpickler.load(path, prefix + PICKLE, file.asSlice(pickle.dataOffset(), pickle.size()),
                (pid, offset) -> {
                    String at = prefix + PICKLE + " byte " + offset + ": ";
                    StorageRef ref = storages.register(pid, 5, at);
                    ZipDirectory.Entry entry = entries.get(prefix + "data/" + ref.key());
                    if (entry == null) {
                        throw new TorchFormatException(path, at + "storage '" + ref.key() + "' has no zip entry "
                                + prefix + "data/" + ref.key());
                    }
                    stored(path, entry);
                    if (ref.numel() > entry.size() / ref.dtype().byteSize()) {
                        throw new TorchFormatException(path, at + "storage '" + ref.key() + "' claims " + ref.numel()
                                + " " + ref.dtype() + " elements but its entry holds " + entry.size() + " bytes");
                    }
                    storages.place(ref.key(), entry.dataOffset());
                    return ref;
                });
    }

    /** The folder ("archive/") that holds data.pkl: exactly one top-level folder may. */
    private static String archivePrefix(Path path, Map<String, ZipDirectory.Entry> entries) {
        List<String> pickles = entries.keySet().stream().filter(n -> n.matches("[^/]+/" + PICKLE)).toList();
        if (pickles.size() != 1) {
            throw new TorchFormatException(path, "expected one <folder>/" + PICKLE + " in the zip, found "
                    + pickles + " among " + entries.size() + " entries; not a torch.save file");
        }
        return pickles.getFirst().substring(0, pickles.getFirst().length() - PICKLE.length());
    }

    private static void checkByteOrder(Path path, MemorySegment file, ZipDirectory.Entry entry) {
        if (entry == null) {
            return; // written before PyTorch 2.1: little-endian
        }
        stored(path, entry);
        String order = new String(file.asSlice(entry.dataOffset(), Math.min(entry.size(), 16))
                .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
        if (!order.equals("little")) {
            throw new TorchFormatException(path, "byteorder '" + order + "'; only little-endian checkpoints are read");
        }
    }

    /** {@code entry}, which must be present and STORED (torch.save never compresses). */
    static ZipDirectory.Entry stored(Path path, ZipDirectory.Entry entry) {
        if (entry == null) {
            throw new TorchFormatException(path, "a zip entry is missing");
        }
        if (entry.method() != ZipDirectory.STORED) {
            throw new TorchFormatException(path, "zip entry '" + entry.name() + "' is compressed (method "
                    + entry.method() + "); torch.save stores entries uncompressed, so it was re-zipped: re-save it");
        }
        return entry;
    }

    /** The top-level dict as tensors: every key a str, every value a tensor. */
    private static TorchCheckpoint stateDict(Path path, Arena arena, Object root, Storages storages) {
        if (!(root instanceof PyDict dict)) {
            throw new TorchFormatException(path, "the pickle holds " + Pickled.describe(root) + ", not a state dict"
                    + " (save it with torch.save(model.state_dict(), path))");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : dict.items.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new TorchFormatException(path, "state dict key " + e.getKey() + " is not a str");
            }
            if (!(e.getValue() instanceof TorchTensor t)) {
                throw new TorchFormatException(path, "state dict key '" + key + "' holds "
                        + Pickled.describe(e.getValue()) + ", not a tensor (save model.state_dict() itself)");
            }
            if (t.storage().dtype().dtype() == null) {
                others.put(key, t.toString());
            } else {
                tensors.put(key, storages.view(t));
            }
        }
        return new TorchCheckpoint(path, arena, tensors, others);
    }
}
