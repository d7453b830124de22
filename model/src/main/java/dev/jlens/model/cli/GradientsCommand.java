// ./jlens gradients: d metric / d activation at named hook points, one .npy each, for checks outside the JVM.
package dev.jlens.model.cli;

import dev.jlens.model.Gradients;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.LogitMetric;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * For metric = mean over the batch of log_softmax(logits)[b, pos, target], writes d metric / d activation of each
 * hook to DIR/NAME.npy in TL's shape (float32), e.g. {@code blocks.0.hook_resid_pre.npy} [batch, pos, d_model].
 * scripts/reference/gpt2_gradients_torch.py writes the same files from PyTorch autograd.
 */
final class GradientsCommand {
    private GradientsCommand() {}

    static int run(HookedGpt2 model, int[][] tokens, int target, int pos, String hooks, Path out, PrintStream log) {
        if (target < 0 || target >= model.cfg().dVocab()) {
            throw new IllegalArgumentException("--target " + target + " is not a token id (vocab "
                    + model.cfg().dVocab() + ")");
        }
        if (pos < -tokens[0].length || pos >= tokens[0].length) {
            throw new IllegalArgumentException("--pos " + pos + " is outside the " + tokens[0].length + " positions");
        }
        List<String> names = Arrays.stream(hooks.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--hooks names no hook point, e.g. --hooks blocks.0.hook_resid_pre");
        }
        Gradients g = model.gradients(tokens, RunOptions.defaults(), LogitMetric.meanLogProb(pos, target), names);
        try {
            Files.createDirectories(out);
            for (String name : names) {
                Tensor grad = g.get(name);
                Npy.write(out.resolve(name + ".npy"), grad);
                log.println("wrote " + name + " gradient " + Shape.str(grad.shape()) + " to "
                        + out.resolve(name + ".npy"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        log.printf("metric (mean log prob of %d at position %d) %.6f%n", target, pos, g.metric());
        return 0;
    }
}
