// fold_ln + center_unembed made chunk by chunk into the prepared W_U: the bits of the two separate steps.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jlens.kernels.cpu.CpuBackend;
import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * W_U [D, V] as the transpose of W_E [V, D], as a tied checkpoint loads. V spans several of the CPU backend's chunks
 * and several of WeightRows' chunks per backend chunk, ending mid-chunk; the scalar backend takes all columns at once.
 */
class TransposedUnembedTest {
    private static final int V = 5003;
    private static final int D = 24;

    @Test
    void foldCentredPreparedEqualsFoldThenCentre() {
        Random random = new Random(3);
        Tensor wE = Tensor.of(gaussians(random, V * D), V, D);
        double[][] ln = {doubles(gaussians(random, D)), doubles(gaussians(random, D))};
        double[] bias = doubles(gaussians(random, V));
        double[] expectedBias = bias.clone();
        float[] expected;
        try (Arena arena = Arena.ofConfined()) {
            Tensor folded = TransposedUnembed.fold(wE.transpose(0, 1), expectedBias, ln, arena);
            expected = TransposedUnembed.centre(folded, true, arena).toArray();
        }
        for (Backend backend : new Backend[] {new CpuBackend(), new ScalarBackend()}) {
            double[] b = bias.clone();
            try (Backends.Scope on = Backends.use(backend)) {
                Tensor prepared = TransposedUnembed.foldCentredPrepared(wE.transpose(0, 1), b, ln);
                assertArrayEquals(expected, prepared.toArray(), backend.name());
            }
            assertArrayEquals(expectedBias, b, backend.name() + ": b_U");
        }
    }

    private static float[] gaussians(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static double[] doubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }
}
