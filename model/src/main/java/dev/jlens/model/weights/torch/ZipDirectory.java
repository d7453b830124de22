// The central directory of a torch.save zip: where each entry's bytes lie in the file, so storages can be mapped.
//
// Read here rather than with java.util.zip.ZipFile because ZipFile only streams an entry's contents: it does not
// say at which file offset a STORED entry's bytes begin, and mapping storages in place needs exactly that offset.
// Format (PKWARE APPNOTE 6.3): end-of-central-directory record (EOCD, 22 bytes + comment) at the end; for files
// past 4 GiB a ZIP64 EOCD locator just before it points at the ZIP64 EOCD; each central header (46 bytes + name +
// extra + comment) gives sizes, method and the local header's offset (ZIP64 extra field 0x0001 when 0xFFFFFFFF);
// the data starts after the local header (30 bytes + name + extra; torch pads the extra to 64-byte alignment).
package dev.jlens.model.weights.torch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The entries of a zip file mapped in memory, each with the file offset and length of its (uncompressed) data. */
final class ZipDirectory {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final long MAX_COMMENT = 0xFFFF;
    static final int STORED = 0;

    /**
     * One entry.
     *
     * @param name       the entry's path inside the zip
     * @param dataOffset file offset of its first data byte
     * @param size       its compressed length in bytes (equal to the data length when STORED)
     * @param method     compression method (0 STORED, 8 DEFLATED)
     */
    record Entry(String name, long dataOffset, long size, int method) {}

    private ZipDirectory() {}

    /** The entries of {@code file} (mapped as {@code zip}) by name, in directory order, every offset checked. */
    static Map<String, Entry> read(Path path, MemorySegment zip) {
        long size = zip.byteSize();
        long eocd = findEocd(path, zip);
        long count = u16(zip, eocd + 10);
        long dirSize = u32(zip, eocd + 12);
        long dirOffset = u32(zip, eocd + 16);
        if (count == 0xFFFF || dirSize == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL) {
            long[] z64 = zip64(path, zip, eocd);
            count = z64[0];
            dirSize = z64[1];
            dirOffset = z64[2];
        }
        if (dirOffset < 0 || dirSize < 0 || dirOffset > eocd || dirSize > eocd - dirOffset) {
            throw new TorchFormatException(path, "the zip central directory (offset " + dirOffset + ", " + dirSize
                    + " bytes) lies outside the file of " + size + " bytes; truncated?");
        }
        if (count > dirSize / CENTRAL_SIZE) {
            throw new TorchFormatException(path, "the zip directory claims " + count + " entries but its " + dirSize
                    + " bytes hold at most " + dirSize / CENTRAL_SIZE);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        long at = dirOffset;
        long end = dirOffset + dirSize;
        for (long i = 0; i < count; i++) {
            Entry e = centralEntry(path, zip, at, end);
            if (entries.put(e.name(), e) != null) {
                throw new TorchFormatException(path, "the zip holds entry '" + e.name() + "' twice (offset " + at
                        + ")");
            }
            at += CENTRAL_SIZE + u16(zip, at + 28) + u16(zip, at + 30) + u16(zip, at + 32);
        }
        return entries;
    }

    /** The EOCD's offset: the last signature within the final 22 + 65535 bytes whose comment ends at the file end. */
    private static long findEocd(Path path, MemorySegment zip) {
        long size = zip.byteSize();
        long lowest = Math.max(0, size - EOCD_SIZE - MAX_COMMENT);
        for (long at = size - EOCD_SIZE; at >= lowest; at--) {
            if (zip.get(U32, at) == EOCD_SIG && at + EOCD_SIZE + u16(zip, at + 20) == size) {
                return at;
            }
        }
        throw new TorchFormatException(path, "no zip end-of-central-directory record in the last "
                + Math.min(size, EOCD_SIZE + MAX_COMMENT) + " bytes of " + size + "; the file is truncated or not a"
                + " torch.save zip");
    }

    /** {count, directory size, directory offset} from the ZIP64 records that the locator before the EOCD names. */
    private static long[] zip64(Path path, MemorySegment zip, long eocd) {
        long locator = eocd - 20;
        if (locator < 0 || zip.get(U32, locator) != ZIP64_LOCATOR_SIG) {
            throw new TorchFormatException(path, "the zip end record at offset " + eocd + " needs ZIP64 but no ZIP64"
                    + " locator precedes it");
        }
        long record = zip.get(U64, locator + 8);
        if (record < 0 || record > locator - 56 || zip.get(U32, record) != ZIP64_EOCD_SIG) {
            throw new TorchFormatException(path, "the ZIP64 end record offset " + record + " (from the locator at "
                    + locator + ") does not hold a ZIP64 end record");
        }
        return new long[] {zip.get(U64, record + 32), zip.get(U64, record + 40), zip.get(U64, record + 48)};
    }

    /** The central header at {@code at} (before {@code end}) and the local header it points to. */
    private static Entry centralEntry(Path path, MemorySegment zip, long at, long end) {
        if (at > end - CENTRAL_SIZE || zip.get(U32, at) != CENTRAL_SIG) {
            throw new TorchFormatException(path, "no zip central header at offset " + at + "; the directory is"
                    + " corrupt");
        }
        int method = u16(zip, at + 10);
        long compressed = u32(zip, at + 20);
        long uncompressed = u32(zip, at + 24);
        int nameLen = u16(zip, at + 28);
        int extraLen = u16(zip, at + 30);
        long local = u32(zip, at + 42);
        if (at + CENTRAL_SIZE + nameLen + extraLen > end) {
            throw new TorchFormatException(path, "the zip central header at offset " + at + " runs past the directory");
        }
        String name = new String(zip.asSlice(at + CENTRAL_SIZE, nameLen).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
        long[] sizes = {uncompressed, compressed, local};
        zip64Extra(zip, at + CENTRAL_SIZE + nameLen, extraLen, sizes);
        return new Entry(name, dataOffset(path, zip, name, sizes[2], sizes[1]), sizes[1], method);
    }

    /** Replaces the 0xFFFFFFFF fields of {uncompressed, compressed, local offset} from a ZIP64 extra field. */
    private static void zip64Extra(MemorySegment zip, long extra, int extraLen, long[] sizes) {
        long at = extra;
        while (at + 4 <= extra + extraLen) {
            int id = u16(zip, at);
            int len = u16(zip, at + 2);
            if (id == 1) {
                long field = at + 4;
                for (int i = 0; i < sizes.length && field + 8 <= at + 4 + len; i++) {
                    if (sizes[i] == 0xFFFFFFFFL) {
                        sizes[i] = zip.get(U64, field);
                        field += 8;
                    }
                }
                return;
            }
            at += 4 + len;
        }
    }

    /** The file offset of entry {@code name}'s data, checked to lie with its {@code size} bytes inside the file. */
    private static long dataOffset(Path path, MemorySegment zip, String name, long local, long size) {
        long fileSize = zip.byteSize();
        if (local < 0 || local > fileSize - LOCAL_SIZE || zip.get(U32, local) != LOCAL_SIG) {
            throw new TorchFormatException(path, "zip entry '" + name + "': no local header at offset " + local);
        }
        long data = local + LOCAL_SIZE + u16(zip, local + 26) + u16(zip, local + 28);
        if (size < 0 || data > fileSize || size > fileSize - data) {
            throw new TorchFormatException(path, "zip entry '" + name + "': its " + size + " bytes at offset " + data
                    + " reach past the end of the file (" + fileSize + " bytes); truncated?");
        }
        return data;
    }

    private static int u16(MemorySegment zip, long at) {
        return zip.get(U16, at) & 0xFFFF;
    }

    private static long u32(MemorySegment zip, long at) {
        return zip.get(U32, at) & 0xFFFFFFFFL;
    }
}
