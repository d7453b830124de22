// NumPy .npy files (format 1.0-3.0): write float32 tensors, read float16/32/64 C-ordered arrays into tensors.
package dev.jlens.tensor.io;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The .npy format (numpy/lib/format.py): magic "\x93NUMPY", version, little-endian header length, a Python dict
 * literal {'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), } padded to a multiple of 64 bytes, then raw
 * data. Logits go out as float32 [batch, pos, vocab]; reference logits come back as f2, f4 or f8, little-endian.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes {@code t} as a little-endian float32 C-ordered array (version 1.0). */
    public static void write(Path file, Tensor t) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int s : t.shape()) {
            dims.append(s).append(", ");
        }
        String shape = t.rank() == 1 ? dims.toString().trim() : dims.toString().replaceAll(", $", "");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        float[] values = t.toArray();
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.asFloatBuffer().put(values);
        Files.write(file, out.array());
    }

    /** Reads a float16/32/64 little-endian C-ordered .npy array as a float32 tensor. */
    public static Tensor read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : MAGIC) {
            if (in.remaining() < 1 || in.get() != b) {
                throw new IOException(file + " is not a .npy file (bad magic at byte " + (in.position() - 1) + ")");
            }
        }
        int major = in.get();
        in.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : in.getInt();
        if (headerLength > in.remaining()) {
            throw new IOException(file + ": header of " + headerLength + " bytes runs past the end of the file");
        }
        byte[] headerBytes = new byte[headerLength];
        in.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file);
        if (group(FORTRAN, header, file).equals("True")) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        int[] shape = parseShape(group(SHAPE, header, file));
        int width = switch (descr) {
            case "<f2" -> 2;
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": dtype '" + descr + "' is not supported (use <f2, <f4 or <f8)");
        };
        int n = Shape.numel(shape);
        if ((long) n * width > in.remaining()) {
            throw new IOException(file + ": shape " + Shape.str(shape) + " of " + descr + " needs " + (long) n * width
                    + " bytes of data at offset " + in.position() + " but only " + in.remaining() + " remain");
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (width) {
                case 2 -> Float.float16ToFloat(in.getShort());
                case 4 -> in.getFloat();
                default -> (float) in.getDouble();
            };
        }
        return Tensor.of(values, shape);
    }

    private static String group(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header " + header.trim() + " lacks " + p.pattern());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text) {
        String[] parts = text.trim().isEmpty() ? new String[0] : text.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String part : parts) {
            if (!part.isBlank()) {
                shape[count++] = Integer.parseInt(part.trim());
            }
        }
        return java.util.Arrays.copyOf(shape, count);
    }
}
