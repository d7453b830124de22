// The reference loop of TL's generic_activation_patch: one full hooked forward of the corrupted input per patch.
package dev.jlens.model.patching;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.tensor.Tensor;
import java.util.List;

/**
 * For each index: run_with_hooks(corrupted) with one hook at the patched activation that writes the clean value
 * at the index (into a copy, so cached tensors are never written), then the metric of the logits. Any hooks the
 * model already carries stay on and fire as in TL.
 */
final class NaivePatcher {
    private NaivePatcher() {}

    /** The metric per index, in index order. */
    static float[] run(PatchSweep sweep, SweepProgress progress) {
        float[] out = new float[sweep.indices().size()];
        for (int i = 0; i < out.length; i++) {
            int[] index = sweep.indices().get(i);
            Tensor clean = sweep.clean()[index[0]];
            HookFn patch = (act, hook) -> {
                Tensor patched = act.copy();
                sweep.type().setter().apply(patched, 0, sweep.batch(), sweep.pos(), index, clean);
                return patched;
            };
            Tensor logits = sweep.model().runWithHooks(sweep.corrupted(),
                    List.of(FwdHook.of(sweep.type().hookName(index[0]), patch)), sweep.options()).logits();
            out[i] = sweep.score(i, sweep.metricInput(logits));
            progress.step();
        }
        return out;
    }
}
