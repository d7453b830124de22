// fold_ln + center_unembed made chunk by chunk into the prepared W_U: the bits of the two steps, without their copy.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.kernels.cpu.CpuBackend;
import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.OffHeap;
import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * W_U [D, V] as the transpose of W_E [V, D], as a tied checkpoint loads. V spans several of the CPU backend's chunks
 * and several of WeightRows' chunks per backend chunk, ending mid-chunk; the scalar backend takes all columns at once.
 */
class TransposedUnembedTest {
    private static final int V = 5003;
    private static final int D = 32;

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

    @Test
    void aTiedUnembeddingIsFoldedCentredAndPreparedWithoutACopyBeside() {
        // fold_ln + center_unembed then the Unembed's prepareWeight, as a load runs them: only the packed W_U is made
        // off the heap; done as two steps, a processed [D, V] copy stood beside it until packed (twice the bytes)
        Random random = new Random(4);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("unembed.W_U", Tensor.of(gaussians(random, V * D), V, D).transpose(0, 1)); // tied: W_E^T
        weights.put("unembed.b_U", Tensor.of(gaussians(random, V), V));
        weights.put("ln_final.w", Tensor.of(gaussians(random, D), D));
        weights.put("ln_final.b", Tensor.of(gaussians(random, D), D));
        StateDict sd = new StateDict(weights, "a tied unembedding");
        Gpt2Config cfg = Gpt2Config.gpt2Shape("tied", 1, D, 2, 4 * D, V, 8);
        long wU = 4L * D * V;
        try (Arena arena = Arena.ofConfined(); Backends.Scope on = Backends.use(new CpuBackend())) {
            long before = OffHeap.liveBytes();
            OffHeap.resetPeak();
            WeightProcessing.Steps.of(cfg, ProcessingOptions.defaults()).unembedding(sd, arena);
            Backends.current().prepareWeight(sd.require("unembed.W_U", D, V));
            long made = OffHeap.peakBytes() - before;
            assertTrue(made >= wU && made < wU * 3 / 2, "off-heap bytes made: " + made + " for a " + wU
                    + "-byte W_U");
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
