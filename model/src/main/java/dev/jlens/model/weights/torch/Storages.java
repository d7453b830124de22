// The storages a checkpoint's pickle names by persistent id: validated, placed in the file, mapped once each.
package dev.jlens.model.weights.torch;

import dev.jlens.model.weights.torch.Pickled.Tuple;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage references by key. {@link #register} checks a persistent id ('storage', torch.XStorage, key, location,
 * numel), plus the legacy format's view_metadata (which must be None); the format then says where each key's bytes
 * lie ({@link #place}, checked to fit the file), and {@link #view} maps each storage once, so views share it.
 */
final class Storages {
    private final Path path;
    private final MemorySegment file;
    private final Map<String, StorageRef> refs = new LinkedHashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final Map<String, SegmentStorage> mapped = new HashMap<>();

    Storages(Path path, MemorySegment file) {
        this.path = path;
        this.file = file;
    }

    /** The storage {@code pid} names ({@code arity} 5 in zips, 6 in legacy files), read at {@code at} (for errors). */
    StorageRef register(Tuple pid, int arity, String at) {
        List<Object> id = pid.items();
        if (id.size() != arity || !"storage".equals(id.get(0)) || !(id.get(1) instanceof Pickled.Global g)
                || !(id.get(2) instanceof String key) || !(id.get(3) instanceof String)
                || !(id.get(4) instanceof Long numel) || (arity == 6 && !(id.get(5) instanceof Pickled.None))) {
            throw new TorchFormatException(path, at + "persistent id " + Pickled.describe(pid) + " is not "
                    + "('storage', type, key, location, numel" + (arity == 6 ? ", None)" : ")"));
        }
        TorchDType type = TorchGlobals.storageType(g);
        if (type == null) {
            throw new TorchFormatException(path, at + "persistent id names " + g + ", not a storage type");
        }
        if (numel < 0 || numel > file.byteSize() / type.byteSize()) {
            throw new TorchFormatException(path, at + "storage '" + key + "' claims " + numel + " " + type
                    + " elements, more than the file of " + file.byteSize() + " bytes holds");
        }
        StorageRef ref = new StorageRef(key, type, numel);
        StorageRef earlier = refs.putIfAbsent(key, ref);
        if (earlier != null && !earlier.equals(ref)) {
            throw new TorchFormatException(path, at + "storage '" + key + "' is named as " + earlier.dtype() + " x "
                    + earlier.numel() + " and as " + type + " x " + numel);
        }
        return ref;
    }

    /** The storage registered under {@code key}, or null. */
    StorageRef get(String key) {
        return refs.get(key);
    }

    /** Storage {@code key}'s bytes start at file offset {@code dataOffset}; they must end inside the file. */
    void place(String key, long dataOffset) {
        StorageRef s = refs.get(key);
        long bytes = s.numel() * s.dtype().byteSize();
        if (dataOffset < 0 || dataOffset > file.byteSize() || bytes > file.byteSize() - dataOffset) {
            throw new TorchFormatException(path, "storage '" + key + "' (" + bytes + " bytes at offset " + dataOffset
                    + ") reaches past the end of the file (" + file.byteSize() + " bytes); truncated?");
        }
        offsets.put(key, dataOffset);
    }

    /** The tensor as a view of its storage's mapped bytes. */
    Tensor view(TorchTensor t) {
        StorageRef s = t.storage();
        SegmentStorage storage = mapped.computeIfAbsent(s.key(), k -> new SegmentStorage(
                file.asSlice(offsets.get(k), s.numel() * s.dtype().byteSize()), s.dtype().dtype()));
        int[] strides = new int[t.shape().length];
        for (int i = 0; i < strides.length; i++) { // checked: a dim of size > 1 has stride * (size - 1) < 2^31
            strides[i] = (int) Math.min(t.strides()[i], Integer.MAX_VALUE);
        }
        return Tensor.view(storage, t.shape(), strides, (int) t.offset());
    }
}
