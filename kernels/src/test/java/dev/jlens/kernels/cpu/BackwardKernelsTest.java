// The cpu backend's backward kernels against the scalar oracle's, at odd sizes (tails of lanes and panels).
package dev.jlens.kernels.cpu;

import static dev.jlens.tensor.Close.assertClose;

import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
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
