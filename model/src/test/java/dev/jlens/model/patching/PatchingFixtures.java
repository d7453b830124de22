// Models, tokens and metrics shared by the patching tests.
package dev.jlens.model.patching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.TinyModels;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Close;
import dev.jlens.tensor.Tensor;

/** A tiny random GPT-2 with sharp attention, random token pairs and log-prob metrics. */
final class PatchingFixtures {
    /** fast vs naive, absolute (DESIGN.md "Exactness of shortcuts"). */
    static final double ATOL = 1e-5;

    private PatchingFixtures() {}

    /**
     * 2 layers, d_model 32, 4 heads, d_mlp 128, vocab 97, n_ctx 24; W_Q and W_K scaled 20x so patterns are sharp
     * and a wrong key offset or mask would show (as TinyModels in dev.jlens.model).
     */
    static HookedGpt2 tinyModel() {
        Gpt2Config cfg = TinyModels.config();
        return Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));
    }

    static int[][] tokens(int batch, int pos, int vocab, long seed) {
        return TinyModels.tokens(batch, pos, vocab, seed);
    }

    /** Mean over the batch and every position but the last of log p(next token of {@code target}). */
    static float meanLogProb(Tensor logits, int[][] target) {
        Tensor logProbs = logits.logSoftmax(-1); // [batch, pos, d_vocab]
        double sum = 0;
        int n = 0;
        for (int b = 0; b < target.length; b++) {
            for (int p = 0; p + 1 < target[b].length; p++) {
                sum += logProbs.get(b, p, target[b][p + 1]);
                n++;
            }
        }
        return (float) (sum / n);
    }

    /** Mean over the batch and {@code positions} of log p(target[b][pos + 1]); logits [batch, positions, vocab]. */
    static float meanLogProbAt(Tensor logits, int[] positions, int[][] target) {
        Tensor logProbs = logits.logSoftmax(-1);
        double sum = 0;
        for (int b = 0; b < target.length; b++) {
            for (int i = 0; i < positions.length; i++) {
                sum += logProbs.get(b, i, target[b][positions[i] + 1]);
            }
        }
        return (float) (sum / (target.length * positions.length));
    }

    /** fast within {@link #ATOL} of naive, elementwise. */
    static void assertClose(String what, Tensor naive, Tensor fast) {
        Close.assertClose(what + ": fast vs naive", naive, fast, 0, ATOL);
    }

    static void assertNoHooks(HookedGpt2 model) {
        for (String name : model.hookNames()) {
            assertTrue(!model.hookPoint(name).hasHooks(), name + " still has hooks");
        }
    }
}
