// The shared allclose fails where it should, and its message names the worst element, both values, |diff| and tol.
package dev.jlens.tensor;

import static dev.jlens.tensor.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class CloseTest {
    private static String failure(Runnable check) {
        return assertThrows(AssertionFailedError.class, check::run).getMessage();
    }

    @Test
    void passesWithinAtolPlusRtolTimesExpected() {
        // tolerance at expected 100: 1e-3 + 1e-4 * 100 = 0.011
        assertClose("within", new float[] {100f, 0f}, new float[] {100.0105f, 0.0009f}, 1e-4, 1e-3);
        assertClose("NaN matches NaN, inf matches inf", new float[] {Float.NaN, Float.POSITIVE_INFINITY},
                new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, 0);
    }

    @Test
    void failsJustBeyondTheToleranceAndNamesTheWorstElement() {
        String m = failure(() -> assertClose("op", new float[] {100f, 1f, 2f}, new float[] {100.012f, 1.5f, 2f},
                1e-4, 1e-3));
        assertTrue(m.startsWith("op: 2 of 3 elements differ beyond atol 0.00100 + rtol 0.000100 * |expected|; "
                + "worst at [1]: expected 1.00000000, actual 1.50000000, |diff| 0.500 > tolerance 0.00110"), m);
    }

    @Test
    void rtolScalesWithExpectedNotActual() {
        // |diff| 1 <= 0.5 * |2| but not <= 0.5 * |1|: the rule reads |expected| only
        assertClose("expected 2", new float[] {2f}, new float[] {1f}, 0.5, 0);
        failure(() -> assertClose("expected 1", new float[] {1f}, new float[] {2f}, 0.5, 0));
    }

    @Test
    void aNanOrInfinityMatchesOnlyItself() {
        failure(() -> assertClose("NaN", new float[] {1f}, new float[] {Float.NaN}, 1, 1));
        failure(() -> assertClose("inf", new float[] {Float.POSITIVE_INFINITY}, new float[] {Float.NEGATIVE_INFINITY},
                1, 1));
    }

    @Test
    void tensorIndicesAreReportedPerDimension() {
        Tensor want = Tensor.arange(24).reshape(2, 3, 4);
        Tensor got = Tensor.arange(24).reshape(2, 3, 4);
        got.set(99f, 1, 2, 3);
        got.set(10f, 0, 1, 1); // element 5, |diff| 5: a mismatch, but not the worst
        String m = failure(() -> assertClose("t", want, got, 0, 0.5));
        assertTrue(m.contains("worst at [1, 2, 3]: expected 23.0000000, actual 99.0000000, |diff| 76.0"), m);
        assertTrue(m.contains("[0, 1, 1]: expected 5.00000000, actual 10.0000000"), m);
        String shapes = failure(() -> assertClose("shapes", want, want.reshape(4, 6), 0, 0));
        assertTrue(shapes.startsWith("shapes: shapes differ"), shapes);
    }

    @Test
    void offsetsAndLengthsAreChecked() {
        assertClose("offsets", new float[] {9f, 1f, 2f}, 1, new float[] {1f, 2f, 7f}, 0, 2, 0, 0);
        failure(() -> assertClose("offsets", new float[] {9f, 1f, 2f}, 0, new float[] {1f, 2f, 7f}, 0, 2, 0, 0));
        failure(() -> assertClose("lengths", new float[] {1f}, new float[] {1f, 2f}, 0, 0));
    }
}
