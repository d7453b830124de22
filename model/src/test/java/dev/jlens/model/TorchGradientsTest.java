// The whole model's gradients at 23 hook points against PyTorch autograd in float64 (committed goldens).
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixture folder torch-gradients holds a random micro GPT-2 (Hugging Face layout) and, for the input and metric
 * its FIXTURE.txt names (mean_b log_softmax(logits)[b, 6, 41]), d metric / d activation at 23 hook points from
 * scripts/reference/gpt2_gradients_torch.py: a torch forward written after TransformerLens' GPT-2 code, autograd in
 * float64. Tolerance: the same script in float32 differs from its float64 goldens by up to 4.2e-7 of the hook's
 * largest gradient (measured at every hook; jlens cpu measured up to 6.8e-7, scalar 2.2e-7), so 2e-6 of it, about
 * 5x torch's own float32 noise, while a wrong derivative errs by a large fraction of it.
 */
class TorchGradientsTest {
    private static final double TOLERANCE = 2e-6;

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "scalar"})
    void gradientsMatchPytorchAutograd(String backend) throws Exception {
        Path dir = Path.of(TorchGradientsTest.class.getResource("torch-gradients/FIXTURE.txt").toURI()).getParent();
        Map<String, String> fixture = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("FIXTURE.txt"))) {
            int space = line.indexOf(' ');
            fixture.put(line.substring(0, space), line.substring(space + 1));
        }
        int[][] tokens = Arrays.stream(fixture.get("tokens").split(";"))
                .map(row -> Arrays.stream(row.split(",")).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
        List<String> hooks = List.of(fixture.get("hooks").split(","));
        HookedGpt2 model = Pretrained.load(dir.toString(), ProcessingOptions.none(), Map.of(),
                Backends.byName(backend));
        Gradients g = model.gradients(tokens, RunOptions.defaults(), LogitMetric.meanLogProb(
                Integer.parseInt(fixture.get("pos")), Integer.parseInt(fixture.get("target"))), hooks);
        assertEquals(Double.parseDouble(fixture.get("metric")), g.metric(), 1e-5);
        assertEquals(23, hooks.size());
        for (String name : hooks) {
            Tensor want = Npy.read(dir.resolve(name + ".npy"));
            Tensor got = g.get(name);
            assertArrayEquals(want.shape(), got.shape(), name);
            double scale = 0;
            for (float v : want.toArray()) {
                scale = Math.max(scale, Math.abs(v));
            }
            double diff = got.maxAbsDiff(want);
            assertTrue(scale > 0 && diff <= TOLERANCE * scale, backend + " " + name + ": max |jlens - torch| " + diff
                    + " vs max |torch| " + scale);
        }
    }
}
