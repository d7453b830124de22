// Shape arithmetic shared by every op: element counts, contiguous strides, dim wrapping, broadcasting.
package dev.jlens.tensor;

import java.util.Arrays;

/** Static helpers over shapes ({@code int[]}, outermost dim first). */
public final class Shape {
    private Shape() {}

    /** Product of the sizes; throws when it does not fit in an int (the most one tensor may hold). */
    public static int numel(int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + str(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + str(shape) + " holds more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int... shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** Wraps a possibly negative dim into [0, rank); {@code op} names the caller in the error. */
    public static int dim(int dim, int rank, String op) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for a tensor of rank " + rank
                    + " (valid: " + (-rank) + " to " + (rank - 1) + ")");
        }
        return d;
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (dim " + (i - rank) + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The shape after reducing {@code dim}: removed, or kept with size 1 when {@code keepDim}. */
    public static int[] reduced(int[] shape, int dim, boolean keepDim) {
        if (keepDim) {
            int[] out = shape.clone();
            out[dim] = 1;
            return out;
        }
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != dim) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** A shape written as PyTorch prints it: {@code [2, 3, 4]}. */
    public static String str(int... shape) {
        return Arrays.toString(shape);
    }

    /** The lowest and highest storage index a non-empty view (shape, strides, offset) reaches, as {lo, hi}. */
    public static long[] span(int[] shape, int[] strides, int offset) {
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            long reach = (long) (shape[d] - 1) * strides[d];
            if (reach < 0) {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        return new long[] {lo, hi};
    }
}
