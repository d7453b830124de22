// Horizontal sums of float vectors in one fixed order, the same in every JIT tier.
package dev.jlens.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * {@code reduceLanes(ADD)} leaves the order of its additions to the implementation (C2 and the interpreter pair
 * lanes differently, so float sums differ by ulps between tiers). {@link #sum} always adds lane i to lane i + n/2,
 * then halves again: a fixed pairwise tree, exact IEEE additions, identical bits wherever it runs.
 */
final class Lanes {
    private Lanes() {}

    /** Sum of the lanes of v: (((v0 + v8) + (v4 + v12)) + ...) for 16 lanes, pairwise by halves. */
    static float sum(FloatVector v) {
        for (int half = v.length() / 2; half >= 1; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }
}
