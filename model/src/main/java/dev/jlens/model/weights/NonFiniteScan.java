// Finds NaN and infinite values in a checkpoint's tensors: a damaged file warns by name instead of giving NaN logits.
package dev.jlens.model.weights;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One pass over each tensor as stored: F32 read in bulk chunks and tested on its bits (a loop the JIT vectorises),
 * counted in a second pass only when a value is not finite; F16/BF16 counted element by element. A mapped tensor's pages
 * are released after its scan, so the scan does not raise the load's resident memory.
 */
public final class NonFiniteScan {
    private static final System.Logger LOG = System.getLogger("dev.jlens.weights");
    private static final int CHUNK = 1 << 16;

    private NonFiniteScan() {}

    /** What was found in one tensor. */
    public record Finding(String name, long nan, long infinite, long firstIndex) {
        /** One line for the log. */
        public String message(String source) {
            return source + ": weight '" + name + "' holds " + nan + " NaN and " + infinite + " infinite values "
                    + "(first at element " + firstIndex + "); the logits will not be finite";
        }
    }

    /**
     * Scans every tensor of {@code tensors} (by stored name; on the common pool's threads too where they may read
     * the tensors), logs a warning per damaged one in the map's order and returns them.
     */
    public static List<Finding> warn(Map<String, Tensor> tensors, String source) {
        List<Map.Entry<String, Tensor>> entries = List.copyOf(tensors.entrySet());
        Stream<Map.Entry<String, Tensor>> each = OwnedWeights.readableByOtherThreads(tensors.values())
                ? entries.parallelStream() : entries.stream();
        List<Finding> found = each.map(e -> scan(e.getKey(), e.getValue())).filter(Objects::nonNull).toList();
        found.forEach(f -> LOG.log(System.Logger.Level.WARNING, f.message(source)));
        return found;
    }

    /** The finding for one tensor, or null when every value is finite. */
    static Finding scan(String name, Tensor t) {
        Tensor c = t.isContiguous() ? t : t.contiguous();
        Finding found = allFiniteF32(c) ? null : count(name, c);
        OwnedWeights.release(t);
        return found;
    }

    /** True when contiguous c is F32 in a segment and no value is NaN or infinite (exponent bits all ones). */
    private static boolean allFiniteF32(Tensor c) {
        if (!(c.storage() instanceof SegmentStorage s && s.dtype() == DType.F32)) {
            return false;
        }
        long n = c.numel();
        int[] bits = new int[(int) Math.min(CHUNK, Math.max(1, n))];
        for (long start = 0; start < n; start += bits.length) {
            int len = (int) Math.min(bits.length, n - start);
            MemorySegment.copy(s.segment(), ValueLayout.JAVA_INT_UNALIGNED, (c.offset() + start) * Float.BYTES, bits,
                    0, len);
            int any = 0;
            for (int i = 0; i < len; i++) {
                any |= (bits[i] & 0x7f800000) + 0x00800000; // the sign bit is set iff the exponent is all ones
            }
            if (any < 0) {
                return false;
            }
        }
        return true;
    }

    /** The counts of NaN and infinite values in contiguous c, or null when there are none. */
    private static Finding count(String name, Tensor c) {
        long nan = 0;
        long inf = 0;
        long first = -1;
        long n = c.numel();
        float[] buf = new float[(int) Math.min(CHUNK, Math.max(1, n))];
        for (long start = 0; start < n; start += buf.length) {
            int len = (int) Math.min(buf.length, n - start);
            read(c, start, buf, len);
            for (int i = 0; i < len; i++) {
                float x = buf[i];
                if (!(Math.abs(x) <= Float.MAX_VALUE)) { // false only for NaN and +-Inf
                    nan += Float.isNaN(x) ? 1 : 0;
                    inf += Float.isNaN(x) ? 0 : 1;
                    first = first < 0 ? start + i : first;
                }
            }
        }
        return first < 0 ? null : new Finding(name, nan, inf, first);
    }

    /** Elements [start, start + len) of contiguous c into buf. */
    private static void read(Tensor c, long start, float[] buf, int len) {
        if (c.storage() instanceof SegmentStorage s && s.dtype() == DType.F32) {
            MemorySegment.copy(s.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, (c.offset() + start) * Float.BYTES, buf,
                    0, len);
        } else {
            for (int i = 0; i < len; i++) {
                buf[i] = c.storage().get(c.offset() + start + i);
            }
        }
    }
}
