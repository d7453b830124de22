// The torch-gradients fixture (scripts/reference/gpt2_gradients_torch.py): its model, input, metric and goldens.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The random micro GPT-2 of the torch-gradients folder with the tokens, metric and hooks its FIXTURE.txt names. */
record TorchGradientFixture(Path dir, int[][] tokens, LogitMetric metric, double metricValue, List<String> hooks) {
    /**
     * Tolerance on a gradient, as a fraction of the golden's largest |entry|: torch's own float32 differs from its
     * float64 goldens by up to 4.2e-7 of it (measured at every hook; jlens cpu up to 6.8e-7, scalar 2.2e-7), so 2e-6,
     * about 5x torch's float32 noise, while a wrong derivative errs by a large fraction of it.
     */
    static final double TOLERANCE = 2e-6;

    static TorchGradientFixture load() throws Exception {
        Path dir = Path.of(TorchGradientFixture.class.getResource("torch-gradients/FIXTURE.txt").toURI()).getParent();
        Map<String, String> fixture = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("FIXTURE.txt"))) {
            int space = line.indexOf(' ');
            fixture.put(line.substring(0, space), line.substring(space + 1));
        }
        int[][] tokens = Arrays.stream(fixture.get("tokens").split(";"))
                .map(row -> Arrays.stream(row.split(",")).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
        LogitMetric metric = LogitMetric.meanLogProb(Integer.parseInt(fixture.get("pos")),
                Integer.parseInt(fixture.get("target")));
        return new TorchGradientFixture(dir, tokens, metric, Double.parseDouble(fixture.get("metric")),
                List.of(fixture.get("hooks").split(",")));
    }

    /** The fixture's model, unprocessed, on {@code backend}. */
    HookedGpt2 model(String backend) {
        return Pretrained.load(dir.toString(), ProcessingOptions.none(), Map.of(), Backends.byName(backend));
    }

    /** Asserts {@code got} is within {@link #TOLERANCE} of the golden .npy {@code golden}. */
    static void assertClose(Path golden, Tensor got, String what) throws Exception {
        Tensor want = Npy.read(golden);
        assertArrayEquals(want.shape(), got.shape(), what);
        double scale = 0;
        for (float v : want.toArray()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double diff = got.maxAbsDiff(want);
        assertTrue(scale > 0 && diff <= TOLERANCE * scale, what + ": max |jlens - torch| " + diff
                + " vs max |torch| " + scale);
    }
}
