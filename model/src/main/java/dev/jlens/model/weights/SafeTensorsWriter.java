// Writes safetensors files in the reference layout (safetensors/src/tensor.rs: prepare + serialize): u64 LE header
// length, compact JSON with "__metadata__" first, padded with spaces to a multiple of 8, then the tensors'
// little-endian bytes back to back in the order they were added.
package dev.jlens.model.weights;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jlens.tensor.DType;
import dev.jlens.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and writes them as one safetensors file. F32 is written exactly; F16 and BF16 are rounded to
 * nearest even, as {@code torch.Tensor.half()} and {@code .bfloat16()} do. Used by tests and to save processed
 * weights; {@code SafeTensorsFile} reads the result back.
 */
public final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK = 1 << 16; // elements encoded per write

    private record Item(String name, Tensor tensor, DType dtype) {}

    private final List<Item> items = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty file: no tensors, no metadata. */
    public SafeTensorsWriter() {}

    /** Adds {@code key: value} to {@code __metadata__} (e.g. "format": "pt"); returns this. */
    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds {@code tensor} as float32; returns this. */
    public SafeTensorsWriter add(String name, Tensor tensor) {
        return add(name, tensor, DType.F32);
    }

    /** Adds {@code tensor} stored as {@code dtype}; names must be unique and not {@code __metadata__}. */
    public SafeTensorsWriter add(String name, Tensor tensor, DType dtype) {
        if (name.equals("__metadata__") || items.stream().anyMatch(i -> i.name.equals(name))) {
            throw new IllegalArgumentException("safetensors writer: tensor name '" + name + "' is reserved or used");
        }
        items.add(new Item(name, tensor, dtype));
        return this;
    }

    /** Writes the file, replacing {@code path} if it exists. */
    public void write(Path path) {
        byte[] header = header();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Item item : items) {
                writeData(ch, item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write safetensors file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The header bytes: compact JSON padded with spaces to a multiple of 8 bytes. */
    byte[] header() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Item item : items) {
                long bytes = (long) item.tensor.numel() * item.dtype.byteSize();
                g.writeObjectFieldStart(item.name);
                g.writeStringField("dtype", item.dtype.name());
                g.writeArrayFieldStart("shape");
                for (int s : item.tensor.shape()) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        return (json + " ".repeat((8 - out.size() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeData(FileChannel ch, Item item) throws IOException {
        float[] values = item.tensor.toArray();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * item.dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK) {
            buf.clear();
            int stop = Math.min(values.length, start + CHUNK);
            for (int i = start; i < stop; i++) {
                switch (item.dtype) {
                    case F32 -> buf.putFloat(values[i]);
                    case F16 -> buf.putShort(Float.floatToFloat16(values[i]));
                    case BF16 -> buf.putShort(toBf16(values[i]));
                }
            }
            writeFully(ch, buf.flip());
        }
    }

    /** float32 to bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN. */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
