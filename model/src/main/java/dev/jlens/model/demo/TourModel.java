// The model a seed tour runs on, from its command line: the built-in induction-2l, or a .pth with its TL config.
package dev.jlens.model.demo;

import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.pretrained.TorchModel;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.backend.Backends;
import java.nio.file.Path;

/**
 * A tour's model and the BOS id its prompts start with.
 *
 * @param model the model, with hook_result on (the seeds' configs set use_attn_result)
 * @param bos   the token that starts each prompt: GPT-2's for induction-2l, 0 (GPT-NeoX's) for a checkpoint
 */
record TourModel(HookedGpt2 model, int bos) {
    /** {@code induction-2l} (no arguments), or {@code MODEL.pth CONFIG.json}, loaded as load_state_dict does. */
    static TourModel fromArgs(String[] args) {
        if (args.length == 0 || args[0].equals(InductionModel.NAME)) {
            return new TourModel(Gpt2Assembly.fromStateDict(InductionModel.config().withHooks(true, false, false,
                    false), InductionModel.stateDict()), InductionModel.BOS);
        }
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: [induction-2l | MODEL.pth CONFIG.json]");
        }
        return new TourModel(TorchModel.load(Path.of(args[0]), Path.of(args[1]), ProcessingOptions.none(),
                Backends.current()), 0);
    }
}
