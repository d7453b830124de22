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
 * scripts/reference/gpt2_gradients_torch.py writes the same files from PyTorch autograd. Rows of different lengths
 * are left-padded (id 0) and masked, pos counts within each row's own tokens (negative: from its end), and the
 * files hold the padded batch, zero at the pads.
 */
final class GradientsCommand {
    private GradientsCommand() {}

    static int run(HookedGpt2 model, int[][] rows, int target, int pos, String hooks, Path out, PrintStream log) {
        if (target < 0 || target >= model.cfg().dVocab()) {
            throw new IllegalArgumentException("--target " + target + " is not a token id (vocab "
                    + model.cfg().dVocab() + ")");
        }
        int longest = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        boolean ragged = Arrays.stream(rows).anyMatch(r -> r.length != longest);
        int[][] tokens = new int[rows.length][longest];
        int[][] mask = ragged ? new int[rows.length][longest] : null; // [batch][pos]: 1 real, 0 pad
        int[] positions = new int[rows.length]; // pos in the padded batch, per row
        for (int b = 0; b < rows.length; b++) {
            int pads = longest - rows[b].length;
            if (pos < -rows[b].length || pos >= rows[b].length) {
                throw new IllegalArgumentException("--pos " + pos + " is outside the " + rows[b].length
                        + " positions" + (ragged ? " of --tokens row " + b : ""));
            }
            System.arraycopy(rows[b], 0, tokens[b], pads, rows[b].length);
            if (ragged) {
                Arrays.fill(mask[b], pads, longest, 1);
            }
            positions[b] = pos >= 0 ? pads + pos : longest + pos;
        }
        List<String> names = Arrays.stream(hooks.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--hooks names no hook point, e.g. --hooks blocks.0.hook_resid_pre");
        }
        LogitMetric metric = ragged ? LogitMetric.meanLogProb(positions, target) : LogitMetric.meanLogProb(pos, target);
        Gradients g = model.gradients(tokens, RunOptions.defaults().withAttentionMask(mask), metric, names);
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
        if (ragged) {
            log.println("rows of different lengths: left-padded to " + longest + " positions and masked");
        }
        log.printf("metric (mean log prob of %d at position %d) %.6f%n", target, pos, g.metric());
        return 0;
    }
}
