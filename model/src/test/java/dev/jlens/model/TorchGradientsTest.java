// The whole model's gradients at 23 hook points against PyTorch autograd in float64 (committed goldens).
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixture folder torch-gradients holds a random micro GPT-2 (Hugging Face layout) and, for the input and metric
 * its FIXTURE.txt names (mean_b log_softmax(logits)[b, 6, 41]), d metric / d activation at 23 hook points from
 * scripts/reference/gpt2_gradients_torch.py: a torch forward written after TransformerLens' GPT-2 code, autograd in
 * float64. Tolerance: {@link TorchGradientFixture#TOLERANCE}.
 */
class TorchGradientsTest {
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "scalar"})
    void gradientsMatchPytorchAutograd(String backend) throws Exception {
        TorchGradientFixture f = TorchGradientFixture.load();
        Gradients g = f.model(backend).gradients(f.tokens(), RunOptions.defaults(), f.metric(), f.hooks());
        assertEquals(f.metricValue(), g.metric(), 1e-5);
        assertEquals(23, f.hooks().size());
        for (String name : f.hooks()) {
            TorchGradientFixture.assertClose(f.dir().resolve(name + ".npy"), g.get(name), backend + " " + name);
        }
    }
}
