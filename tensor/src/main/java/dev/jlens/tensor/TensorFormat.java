// Prints a tensor the way PyTorch's repr does (torch/_tensor_str.py), with shape, dtype and device appended.
package dev.jlens.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@link Tensor#toString()}: a port of PyTorch's default print options (precision 4, threshold
 * 1000, edgeitems 3, linewidth 80). Above 1000 elements the view is summarised: each dim longer than 6 shows its
 * first and last 3 entries around {@code ...}. Number style is chosen as torch chooses it from the shown,
 * non-zero, finite values: integers print as {@code 2.}; values whose largest/smallest magnitude ratio exceeds
 * 1000, or above 1e8, or below 1e-4 print as {@code 1.2346e+05}; the rest as {@code 0.1235}; all padded to one
 * width. Rounding follows Python's {@code format} (the exact binary value, ties to even), not Java's
 * {@code %f}. Unlike torch, {@code shape}, {@code dtype} and {@code device} are always appended, wrapped onto
 * a new line by torch's rule for suffixes:
 *
 * <pre>
 * tensor([[ 0.1000, -1.5000],
 *         [ 2.0000,  0.0000]], shape=[2, 2], dtype=float32, device=cpu)
 * </pre>
 *
 * Only the shown elements are read, one {@link Tensor#get} each, so printing a device tensor or a memory-mapped
 * weight neither copies it nor changes it.
 */
final class TensorFormat {
    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {}

    /** PyTorch's repr of {@code t} plus {@code shape=[..], dtype=.., device=..}. */
    public static String format(Tensor t) {
        int[] shape = t.shape();
        List<String> suffixes = List.of("shape=" + Shape.str(shape), "dtype=" + dtypeName(t.storage().dtype()),
                "device=" + t.device());
        if (t.numel() == 0) {
            return addSuffixes(PREFIX + "[]", suffixes);
        }
        boolean summarize = t.numel() > THRESHOLD;
        List<Double> shown = new ArrayList<>();
        collect(t, summarize, 0, new int[shape.length], shown);
        Formatter f = new Formatter(shown);
        int[] next = {0};
        String body = render(shape, summarize, 0, PREFIX.length(), f, shown, next);
        return addSuffixes(PREFIX + body, suffixes);
    }

    /** The PyTorch name of a storage type: float32, float16, bfloat16. */
    public static String dtypeName(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        };
    }

    /** The indices of dim {@code size} that are printed. */
    private static int[] shownIndices(int size, boolean summarize) {
        if (summarize && size > 2 * EDGE_ITEMS) {
            int[] idx = new int[2 * EDGE_ITEMS];
            for (int i = 0; i < EDGE_ITEMS; i++) {
                idx[i] = i;
                idx[EDGE_ITEMS + i] = size - EDGE_ITEMS + i;
            }
            return idx;
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Reads the shown elements in print order (torch's get_summarized_data). */
    private static void collect(Tensor t, boolean summarize, int dim, int[] index, List<Double> out) {
        if (dim == index.length) {
            out.add((double) t.get(index));
            return;
        }
        for (int i : shownIndices(t.size(dim), summarize)) {
            index[dim] = i;
            collect(t, summarize, dim + 1, index, out);
        }
    }

    /** torch's _tensor_str_with_formatter, consuming {@code values} in the order {@link #collect} read them. */
    private static String render(int[] shape, boolean summarize, int dim, int indent, Formatter f, List<Double> values,
            int[] next) {
        int rank = shape.length;
        if (dim == rank) {
            return f.format(values.get(next[0]++));
        }
        boolean elided = summarize && shape[dim] > 2 * EDGE_ITEMS;
        int count = elided ? 2 * EDGE_ITEMS : shape[dim];
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (elided && i == EDGE_ITEMS) {
                items.add(dim == rank - 1 ? " ..." : "...");
            }
            items.add(render(shape, summarize, dim + 1, indent + 1, f, values, next));
        }
        if (dim == rank - 1) {
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width + 2));
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    s.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                s.append(items.get(i));
            }
            return s.append(']').toString();
        }
        String sep = "," + "\n".repeat(rank - dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, items) + "]";
    }

    /** torch's _add_suffixes: each suffix goes on the line unless it would pass the line width. */
    private static String addSuffixes(String body, List<String> suffixes) {
        StringBuilder s = new StringBuilder(body);
        // torch measures the last line as len - rfind("\n") + 1, two more than its length; kept for equal wrapping.
        int lastLine = body.length() - body.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                s.append(",\n").append(" ".repeat(PREFIX.length())).append(suffix);
                lastLine = PREFIX.length() + suffix.length();
            } else {
                s.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return s.append(')').toString();
    }

    /** torch's _Formatter for floating tensors: one style and one width for every shown value. */
    private static final class Formatter {
        boolean intMode = true;
        boolean sciMode = false;
        int width = 1;

        Formatter(List<Double> values) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            boolean any = false;
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    any = true;
                    min = Math.min(min, Math.abs(v));
                    max = Math.max(max, Math.abs(v));
                    if (v != Math.ceil(v)) {
                        intMode = false;
                    }
                }
            }
            if (!any) {
                return;
            }
            sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    int len = sciMode ? sci(v).length() : intMode ? fixed(v, 0).length() + 1
                            : fixed(v, PRECISION).length();
                    width = Math.max(width, len);
                }
            }
        }

        String format(double v) {
            String s;
            if (sciMode) {
                s = sci(v);
            } else if (intMode) {
                s = fixed(v, 0) + (Double.isFinite(v) ? "." : "");
            } else {
                s = fixed(v, PRECISION);
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }

    /** Python's {@code "{:.Nf}".format(v)}: exact value, ties to even, sign kept for -0 and tiny negatives. */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        String digits = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return (negative(v) ? "-" : "") + digits;
    }

    /** Python's {@code "{:.4e}".format(v)}: {@code 1.2346e+05}. */
    static String sci(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        String sign = negative(v) ? "-" : "";
        if (v == 0) {
            return sign + "0." + "0".repeat(PRECISION) + "e+00";
        }
        BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().toString();
        int exp = digits.length() - 1 - r.scale();
        digits = (digits + "0".repeat(PRECISION)).substring(0, PRECISION + 1);
        String e = String.valueOf(Math.abs(exp));
        return sign + digits.charAt(0) + "." + digits.substring(1) + "e" + (exp < 0 ? "-" : "+")
                + (e.length() < 2 ? "0" + e : e);
    }

    private static boolean negative(double v) {
        return v < 0 || Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0);
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }
}
