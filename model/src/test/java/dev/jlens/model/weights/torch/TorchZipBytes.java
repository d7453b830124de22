// Test helper: a torch.save-style zip (archive/data.pkl, archive/data/<key>, STORED) from given entry bytes.
package dev.jlens.model.weights.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds the bytes of a zip whose entries are stored uncompressed (or deflated, to test the refusal). */
final class TorchZipBytes {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean deflatePickle;

    TorchZipBytes pickle(byte[] pickle) {
        entries.put("archive/data.pkl", pickle);
        return this;
    }

    TorchZipBytes storage(String key, byte[] bytes) {
        entries.put("archive/data/" + key, bytes);
        return this;
    }

    TorchZipBytes floats(String key, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return storage(key, b.array());
    }

    TorchZipBytes entry(String name, byte[] bytes) {
        entries.put(name, bytes);
        return this;
    }

    TorchZipBytes deflatePickle() {
        deflatePickle = true;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                boolean deflate = deflatePickle && e.getKey().endsWith("data.pkl");
                z.setMethod(deflate ? ZipEntry.DEFLATED : ZipEntry.STORED);
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
