// Exp: the vector exp equals its scalar twin to the bit, stays within a few ulps of Math.exp, handles the edges.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class ExpTest {
    /** Relative error bound against exp in double: Cephes expf's 1.7e-7 plus the final rounding. */
    private static final double RTOL = 3e-7;

    private static float[] inputs() {
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[1 << 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 200 - 110); // -110..90: below, across and above the range
        }
        float[] special = {0f, -0f, 1f, -1f, 88.7f, 88.72f, 88.73f, -87.3f, -103.9f, -104f, -104.1f, 1e-8f, -1e-8f,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    @Test
    void vectorAndScalarGiveTheSameBits() {
        assumeFalse(VectorWidth.SCALAR, "no vector species with -Djlens.vectorBits=0");
        float[] x = inputs();
        int n = VectorWidth.SPECIES.length();
        float[] lanes = new float[n];
        for (int i = 0; i + n <= x.length; i += n) {
            Exp.exp(FloatVector.fromArray(VectorWidth.SPECIES, x, i)).intoArray(lanes, 0);
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(Exp.exp(x[i + j])), Float.floatToRawIntBits(lanes[j]),
                        "exp(" + x[i + j] + "): vector " + lanes[j] + ", scalar " + Exp.exp(x[i + j]));
            }
        }
    }

    @Test
    void closeToMathExpWithTheEdgesOfFloat() {
        for (float x : inputs()) {
            float got = Exp.exp(x);
            double want = Math.exp(x);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(got));
            } else if (want > Float.MAX_VALUE) {
                assertEquals(Float.POSITIVE_INFINITY, got, "exp(" + x + ")");
            } else if (want < Float.MIN_NORMAL) { // denormal results and x < -104: absolute, not relative
                assertTrue(Math.abs(got - want) <= Float.MIN_NORMAL, "exp(" + x + ") = " + got + ", want " + want);
            } else {
                assertTrue(Math.abs(got - want) <= RTOL * want, "exp(" + x + ") = " + got + ", want " + want);
            }
        }
    }

    @Test
    void lanesSumInTheFixedPairwiseOrder() {
        assumeFalse(VectorWidth.SCALAR, "no vector species with -Djlens.vectorBits=0");
        int n = VectorWidth.SPECIES.length();
        float[] v = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 1000; t++) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) (r.nextDouble() * Math.pow(10, r.nextInt(-3, 4)));
            }
            float[] tree = v.clone(); // lane i += lane i + half, halving: the order Lanes.sum promises
            for (int half = n / 2; half >= 1; half /= 2) {
                for (int i = 0; i < half; i++) {
                    tree[i] += tree[i + half];
                }
            }
            assertEquals(tree[0], Lanes.sum(FloatVector.fromArray(VectorWidth.SPECIES, v, 0)));
        }
    }
}
