// Child-JVM entry of SameBitsAcrossTiersTest: a tiny model's logits after REPS forwards, written as .npy.
package dev.jlens.model;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code TierProbe REPS OUT.npy}: the logits of a plain forward and of a run observing every hook, and the gradient
 * of a log-prob metric at hook_embed (a whole backward: attention, LN, gelu_new, log_softmax), flattened into one.
 */
public final class TierProbe {
    private TierProbe() {}

    public static void main(String[] args) throws Exception {
        Gpt2Config cfg = TinyModels.config();
        HookedGpt2 model = Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));
        int[][] tokens = TinyModels.tokens(2, 16, cfg.dVocab(), 5);
        Tensor probe = null;
        for (int i = 0; i < Integer.parseInt(args[0]); i++) {
            Tensor logits = Tensor.stack(0, model.forward(tokens), model.runWithCache(tokens).output().logits());
            Tensor grad = model.gradients(tokens, RunOptions.defaults(), LogitMetric.meanLogProb(-1, 7),
                    List.of("hook_embed")).get("hook_embed");
            probe = Tensor.cat(0, logits.reshape(-1), grad.reshape(-1));
        }
        Npy.write(Path.of(args[1]), probe);
    }
}
