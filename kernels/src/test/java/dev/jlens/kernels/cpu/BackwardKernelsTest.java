// The cpu backend's backward kernels against the scalar oracle's, at odd sizes (tails of lanes and panels).
package dev.jlens.kernels.cpu;

import static dev.jlens.tensor.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * cpu (g.W^T on packed panels; layer norm, gelu_new and attention composed from its forward ops) against
 * {@link ScalarBackend} (double loops). Tolerances as BackendMatrixTest: rtol 1e-5, atol 1e-5, and 2e-5 sqrt(K)
 * for sums of K products, which FMA and lane order reorder.
 */
class BackwardKernelsTest {
    private final Backend cpu = new CpuBackend();
    private final Backend oracle = new ScalarBackend();
    private final String width = " (vectorBits=" + System.getProperty("jlens.vectorBits", "preferred") + ")";

    @Test
    void matmulTransposedReadsThePackedWeightInPlace() {
        Tensor g = Tensor.randn(1, 2, 7, 77);  // [B, M, N]: N not a multiple of any panel width
        g.select(0, 1).narrow(0, 2, 3).fill(0); // all-zero rows, which the kernel skips
        Tensor w = Tensor.randn(2, 45, 77);    // [K, N]: K not a multiple of any lane count
        Tensor got = on(cpu, () -> cpu.matmulTransposed(g, cpu.prepareWeight(w)));
        Tensor want = on(oracle, () -> oracle.matmulTransposed(g, w));
        assertClose("matmulTransposed" + width, want, got, 1e-5, 2e-5 * Math.sqrt(77));
        Tensor wide = Tensor.randn(3, 45, 192); // a window of whole panels at every width: columns 64..127
        Tensor g64 = Tensor.randn(4, 7, 64);
        Tensor gotWindow = on(cpu, () -> cpu.matmulTransposed(g64, cpu.prepareWeight(wide).narrow(1, 64, 64)));
        Tensor wantWindow = on(oracle, () -> oracle.matmulTransposed(g64, wide.narrow(1, 64, 64)));
        assertClose("matmulTransposed, panel window" + width, wantWindow, gotWindow, 1e-5, 2e-5 * Math.sqrt(64));
    }

    /**
     * Every tail of the 4 x 4 tiles and of the blocks: M = 1, 3, 5, 7, 13 and 130 (past a block of MB rows); K = 1,
     * 45 and 70 (past a task of KB columns at one thread); N = 77 (a partial panel at every width) and 1100 (chunks
     * of NC columns, then a partial panel); and a window that ends at N inside a panel.
     */
    @Test
    void matmulTransposedCoversEveryTail() {
        long seed = 20;
        for (int m : new int[] {1, 3, 5, 7, 13, 130}) {
            for (int k : new int[] {1, 45, 70}) {
                for (int n : new int[] {77, 1100}) {
                    Tensor g = Tensor.randn(seed++, m, n);
                    Tensor w = Tensor.randn(seed++, k, n);
                    String shape = " g[" + m + ", " + n + "] . W[" + k + ", " + n + "]^T";
                    assertClose("matmulTransposed" + shape + width, on(oracle, () -> oracle.matmulTransposed(g, w)),
                            on(cpu, () -> cpu.matmulTransposed(g, cpu.prepareWeight(w))), 1e-5, 2e-5 * Math.sqrt(n));
                }
            }
        }
        Tensor wide = Tensor.randn(seed++, 45, 150);
        Tensor g = Tensor.randn(seed, 7, 86);
        assertClose("matmulTransposed, window [64, 150) of 150 columns" + width,
                on(oracle, () -> oracle.matmulTransposed(g, wide.narrow(1, 64, 86))),
                on(cpu, () -> cpu.matmulTransposed(g, cpu.prepareWeight(wide).narrow(1, 64, 86))),
                1e-5, 2e-5 * Math.sqrt(86));
    }

    /**
     * The same bits on every call and at any thread count: a call made inside a {@link CpuThreads} task runs on that
     * one thread, a call from outside on all of them (the product is above {@link CpuThreads#PARALLEL_MIN_WORK}).
     */
    @Test
    void matmulTransposedGivesTheSameBitsOnAnyThreadCount() {
        Tensor g = Tensor.randn(30, 41, 601); // [M, N]: 41 x 601 x 101 = 2.5M multiply-adds
        Tensor w = cpu.prepareWeight(Tensor.randn(31, 101, 601));
        float[] parallel = on(cpu, () -> cpu.matmulTransposed(g, w)).toArray();
        float[] again = on(cpu, () -> cpu.matmulTransposed(g, w)).toArray();
        float[][] oneThread = new float[1][];
        CpuThreads.parallelFor(2, t -> {
            if (t == 0) {
                oneThread[0] = on(cpu, () -> cpu.matmulTransposed(g, w)).toArray();
            }
        });
        assertArrayEquals(parallel, again, "matmulTransposed, two calls" + width);
        assertArrayEquals(parallel, oneThread[0], "matmulTransposed, one thread vs " + CpuThreads.COUNT + width);
    }

    /** MatmulTransposed.reduce sums V vectors at once, each to the bits Lanes.sum gives it. */
    @Test
    void reduceAddsLanesInLanesSumOrder() {
        assumeFalse(VectorWidth.SCALAR, "no lanes to add with the scalar twins");
        int v = GemmKernel.V;
        float[] sums = Tensor.randn(40, v * v).scale(1e3f).toArray(); // [V, V]: large and small, so order shows
        for (int i = 0; i < sums.length; i += 3) {
            sums[i] *= 1e-6f;
        }
        float[] want = new float[v];
        for (int j = 0; j < v; j++) {
            want[j] = Lanes.sum(FloatVector.fromArray(VectorWidth.SPECIES, sums, j * v));
        }
        float[] got = new float[v + 1];
        MatmulTransposed.reduce(sums, 0, got, 1);
        assertArrayEquals(want, Arrays.copyOfRange(got, 1, v + 1), "reduce vs Lanes.sum" + width);
    }

    @Test
    void layerNormAndGeluBackwardsMatchTheOracle() {
        Tensor x = Tensor.randn(5, 3, 5, 37).scale(2);
        Tensor g = Tensor.randn(6, 3, 5, 37);
        Tensor w = Tensor.randn(7, 37);
        assertClose("layerNormBackward" + width, on(oracle, () -> oracle.layerNormBackward(x, w, 1e-5f, g)),
                on(cpu, () -> cpu.layerNormBackward(x, w, 1e-5f, g)), 1e-5, 2e-5 * Math.sqrt(37));
        assertClose("geluNewBackward" + width, on(oracle, () -> oracle.geluNewBackward(x, g)),
                on(cpu, () -> cpu.geluNewBackward(x, g)), 1e-5, 1e-5);
    }

    @Test
    void attentionBackwardMatchesTheOracle() {
        Tensor q = Tensor.randn(8, 2, 5, 3, 8); // [B, Pq, H, E]: the last 5 of 7 positions
        Tensor k = Tensor.randn(9, 2, 7, 3, 8);
        Tensor v = Tensor.randn(10, 2, 7, 3, 8);
        Tensor gz = Tensor.randn(11, 2, 5, 3, 8);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, 2, 7);
        Tensor[] want = on(oracle, () -> oracle.causalAttentionBackward(q, k, v, mask, 0.35f, gz));
        Tensor[] got = on(cpu, () -> cpu.causalAttentionBackward(q, k, v, mask, 0.35f, gz));
        String[] names = {"gq", "gk", "gv"};
        for (int i = 0; i < 3; i++) {
            assertClose("causalAttentionBackward " + names[i] + width, want[i], got[i], 1e-5, 2e-5 * Math.sqrt(7));
        }
    }

    private static <T> T on(Backend backend, java.util.function.Supplier<T> op) {
        try (Backends.Scope s = Backends.use(backend)) {
            return op.get();
        }
    }
}
