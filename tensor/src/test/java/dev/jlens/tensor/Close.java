// The one allclose of every module's tests: |actual - expected| <= atol + rtol * |expected| elementwise.
package dev.jlens.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Asserts {@code |actual - expected| <= atol + rtol * |expected|} for every element (NumPy's allclose rule with
 * the arguments in its order, rtol before atol; two-sided: NaN and the infinities match only themselves). The
 * tests of every module use it through tensor's test-jar ({@code <type>test-jar</type><scope>test</scope>}), so
 * module arrows stay one way.
 *
 * <p>A failure says how many elements fail, then the worst one (the largest excess over its own tolerance): its
 * index (row-major, one coordinate per dimension), both values, |diff| and the tolerance it broke; then the max
 * |diff|, the first 10 mismatches and the first 5 pairs (llm.c's report, STYLE.md 5).
 */
public final class Close {
    private static final int MISMATCHES_SHOWN = 10;
    private static final int PAIRS_SHOWN = 5;

    private Close() {}

    /** Compares shapes, then values in row-major order; {@code what} names the op, backend, width and shape. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shapes differ");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertClose(what, expected.shape(), i -> e[i], i -> a[i], rtol, atol);
    }

    /** Compares two arrays of the same length. */
    public static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": lengths differ: expected " + expected.length + ", actual " + actual.length);
        }
        assertClose(what, expected, 0, actual, 0, expected.length, rtol, atol);
    }

    /** Compares actual[aOff + i] with expected[eOff + i] for i &lt; n (indices are reported as i). */
    public static void assertClose(String what, float[] expected, int eOff, float[] actual, int aOff, int n,
            double rtol, double atol) {
        assertClose(what, new int[] {n}, i -> expected[eOff + i], i -> actual[aOff + i], rtol, atol);
    }

    /**
     * Compares {@code expected.applyAsDouble(i)} with {@code actual.applyAsDouble(i)} for every row-major index i
     * of {@code shape} (for strided arrays or double-precision references).
     */
    public static void assertClose(String what, int[] shape, IntToDoubleFunction expected,
            IntToDoubleFunction actual, double rtol, double atol) {
        int n = Shape.numel(shape);
        int mismatches = 0;
        int worst = -1;
        double worstExcess = Double.NEGATIVE_INFINITY;
        double maxDiff = 0;
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double e = expected.applyAsDouble(i);
            double a = actual.applyAsDouble(i);
            double diff = Math.abs(a - e);
            double tol = atol + rtol * Math.abs(e);
            if (!Double.isNaN(diff)) {
                maxDiff = Math.max(maxDiff, diff);
            }
            if (Double.compare(e, a) == 0 || (Double.isFinite(e) && diff <= tol)) { // rtol * inf must not pass -inf
                continue;
            }
            double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - tol;
            if (worst < 0 || excess > worstExcess) {
                worst = i;
                worstExcess = excess;
            }
            if (++mismatches <= MISMATCHES_SHOWN) {
                shown.append(String.format("%n  %s: expected %.9g, actual %.9g, |diff| %.3g", index(shape, i), e, a,
                        diff));
            }
        }
        if (mismatches > 0) {
            double e = expected.applyAsDouble(worst);
            double a = actual.applyAsDouble(worst);
            fail(String.format("%s: %d of %d elements differ beyond atol %.3g + rtol %.3g * |expected|; worst at %s: "
                    + "expected %.9g, actual %.9g, |diff| %.3g > tolerance %.3g; max |diff| %.3g%n"
                    + "  first mismatches (index: expected, actual, |diff|):%s%n  first pairs (expected, actual): %s",
                    what, mismatches, n, atol, rtol, index(shape, worst), e, a, Math.abs(a - e),
                    atol + rtol * Math.abs(e), maxDiff, shown, firstPairs(n, expected, actual)));
        }
    }

    /** Row-major index i of {@code shape} as [i0, i1, ...]. */
    private static String index(int[] shape, int i) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = i % shape[d];
            i /= shape[d];
        }
        return Arrays.toString(at);
    }

    private static String firstPairs(int n, IntToDoubleFunction expected, IntToDoubleFunction actual) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(PAIRS_SHOWN, n); i++) {
            s.append(String.format("(%.9g, %.9g) ", expected.applyAsDouble(i), actual.applyAsDouble(i)));
        }
        return s.toString().trim();
    }
}
