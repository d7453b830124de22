// The legacy torch.save format (PyTorch before 1.6, or _use_new_zipfile_serialization=False): five pickles in a
// row, then the storages. Mirrors torch/serialization.py _legacy_save / _legacy_load: the magic number (a pickled
// LONG1), the protocol version 1001, sys_info {'little_endian': True, ...}, the object (persistent ids ('storage',
// torch.XStorage, key, location, numel, view_metadata)), the sorted list of storage keys, then for each key in that
// order a little-endian u64 element count and the storage's raw bytes.
package dev.jlens.model.weights.torch;

import dev.jlens.model.weights.torch.Pickled.PyDict;
import dev.jlens.model.weights.torch.Pickled.PyList;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Reads a legacy-format checkpoint's object, placing its storages in {@link Storages}. */
final class LegacyFormat {
    /** pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2): PROTO 2, LONG1 of 10 bytes, STOP. */
    private static final byte[] MAGIC = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
        (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'};
    private static final long PROTOCOL_VERSION = 1001;
    private static final String NAME = "legacy pickle";
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LegacyFormat() {}

    /** True when {@code file} starts with the legacy magic number. */
    static boolean isLegacy(MemorySegment file) {
        return file.byteSize() >= MAGIC.length
                && file.asSlice(0, MAGIC.length).mismatch(MemorySegment.ofArray(MAGIC)) == -1;
    }

    /** The pickled object; every storage it names is checked against its count and placed in {@code storages}. */
    static Object read(Path path, MemorySegment file, Storages storages) {
        Unpickler.PersistentLoader none = (pid, offset) -> {
            throw new TorchFormatException(path, NAME + " byte " + offset + ": a storage before the object");
        };
        Unpickler.Loaded version = Unpickler.loadAt(path, NAME, file, MAGIC.length, none);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version.value())) {
            throw new TorchFormatException(path, NAME + " byte " + MAGIC.length + ": protocol version "
                    + Pickled.describe(version.value()) + ", expected " + PROTOCOL_VERSION);
        }
        Unpickler.Loaded sysInfo = Unpickler.loadAt(path, NAME, file, version.end(), none);
        if (!(sysInfo.value() instanceof PyDict info) || !Boolean.TRUE.equals(info.items.get("little_endian"))) {
            throw new TorchFormatException(path, NAME + " byte " + version.end() + ": sys_info is not a dict with "
                    + "little_endian True; only little-endian checkpoints are read");
        }
        Unpickler.Loaded object = Unpickler.loadAt(path, NAME, file, sysInfo.end(),
                (pid, offset) -> storages.register(pid, 6, NAME + " byte " + offset + ": "));
        Unpickler.Loaded keys = Unpickler.loadAt(path, NAME, file, object.end(), none);
        if (!(keys.value() instanceof PyList list)) {
            throw new TorchFormatException(path, NAME + " byte " + object.end() + ": the storage keys are "
                    + Pickled.describe(keys.value()) + ", not a list");
        }
        long at = keys.end();
        for (Object key : list.items) {
            StorageRef ref = key instanceof String k ? storages.get(k) : null;
            if (ref == null) {
                throw new TorchFormatException(path, "storage key " + Pickled.describe(key) + " in the key list at "
                        + "byte " + object.end() + " is not one the object names");
            }
            long count = at <= file.byteSize() - 8 ? file.get(U64, at) : -1;
            if (count != ref.numel()) {
                throw new TorchFormatException(path, "storage '" + ref.key() + "' at byte " + at + ": "
                        + (count < 0 && at > file.byteSize() - 8 ? "the file ends before its element count"
                                : "its element count " + count + " differs from the " + ref.numel() + " the object "
                                        + "names"));
            }
            storages.place(ref.key(), at + 8);
            at += 8 + ref.numel() * ref.dtype().byteSize();
        }
        return object.value();
    }
}
