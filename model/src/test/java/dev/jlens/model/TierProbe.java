// Child-JVM entry of SameBitsAcrossTiersTest: a tiny model's logits after REPS forwards, written as .npy.
package dev.jlens.model;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Path;

/** {@code TierProbe REPS OUT.npy}: the logits of a plain forward and of a run observing every hook, stacked. */
public final class TierProbe {
    private TierProbe() {}

    public static void main(String[] args) throws Exception {
        Gpt2Config cfg = TinyModels.config();
        HookedGpt2 model = Gpt2Assembly.fromStateDict(cfg, TinyModels.weights(cfg));
        int[][] tokens = TinyModels.tokens(2, 16, cfg.dVocab(), 5);
        Tensor logits = null;
        for (int i = 0; i < Integer.parseInt(args[0]); i++) {
            logits = Tensor.stack(0, model.forward(tokens), model.runWithCache(tokens).output().logits());
        }
        Npy.write(Path.of(args[1]), logits);
    }
}
