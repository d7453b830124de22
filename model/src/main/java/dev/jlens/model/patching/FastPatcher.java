// The exact fast loop of generic_activation_patch: resumed, suffix-only, read-positions-only, batched passes.
package dev.jlens.model.patching;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.HookHandle;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.components.BlockSuffix;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Same numbers as {@link NaivePatcher}, less work, by five exact shortcuts:
 * <ol>
 *   <li>resume: a patch at layer l starts from the corrupted run's cached resid_pre of block l, since the blocks
 *       before it see no patch;</li>
 *   <li>suffix: a patch whose first touched position is p changes nothing before p (causal attention, position-wise
 *       layer norm and MLP), so blocks run on positions p.. only, their queries attending to the cached corrupted
 *       hook_k/hook_v of positions before p and to the recomputed ones after;</li>
 *   <li>read positions: ln_final and W_U run only where the metric reads (a read before p moves the suffix start
 *       back to it), and so do the last block's queries, attention output and MLP;</li>
 *   <li>batching: patches sharing a suffix start run as one forward of batch x patches rows (see
 *       {@link PatchPass}), each patch's rows joining at its own layer;</li>
 *   <li>z: a patch of hook_z starts its block from the corrupted run's cached z, skipping ln1, the QKV projection
 *       and attention, which do not depend on z.</li>
 * </ol>
 * What hooks see here: only the patch hook is attached (a model carrying hooks of its own is refused, as they
 * would see different tensors than in a full pass); it fires in the patched block on [rows, pos - p0, ...]
 * (patterns [rows, head_index, pos - p0, pos]; in the last block, hooks after q/k/v see the output positions
 * only) and writes the joining patches' rows only.
 */
final class FastPatcher {
    private FastPatcher() {}

    /** The metric per index, in index order. */
    static float[] run(PatchSweep sweep, SweepProgress progress) {
        HookedGpt2 model = sweep.model();
        for (String name : model.hookNames()) {
            if (model.hookPoint(name).hasHooks()) {
                throw new IllegalStateException("the fast patching loop needs a model without hooks, but " + name
                        + " has hooks; remove them (resetHooks) or use the naive loop");
            }
        }
        boolean fromZ = resumesFromZ(sweep);
        NameFilter resumeFrom = name -> name.endsWith("hook_resid_pre") || name.endsWith("attn.hook_k")
                || name.endsWith("attn.hook_v") || (fromZ && name.endsWith("attn.hook_z"));
        ActivationCache corrupted = model.runWithCache(sweep.corrupted(), resumeFrom, false,
                sweep.options().returning(ReturnType.NONE)).cache();
        float[] out = new float[sweep.indices().size()];
        for (PatchPass pass : PatchPass.plan(sweep)) {
            runPass(sweep, corrupted, pass, out, progress);
        }
        return out;
    }

    private static void runPass(PatchSweep sweep, ActivationCache corrupted, PatchPass pass, float[] out,
            SweepProgress progress) {
        HookedGpt2 model = sweep.model();
        int batch = sweep.batch();
        int p0 = pass.p0();
        int suffix = sweep.pos() - p0;
        boolean fromZ = resumesFromZ(sweep);
        List<Integer> members = pass.members();
        Tensor resid = null; // [rows, pos - p0, d_model]: the members joined so far, batch rows each, in order
        int next = 0;        // the first member not yet joined
        for (int layer = layerOf(sweep, members.get(0)); layer < model.cfg().nLayers(); layer++) {
            int joinFrom = next;
            while (next < members.size() && layerOf(sweep, members.get(next)) == layer) {
                next++;
            }
            int joining = next - joinFrom;
            int outputs = layer == model.cfg().nLayers() - 1 ? sweep.pos() - sweep.firstRead() : suffix;
            if (fromZ) { // joining rows start after attention, from the cached z; the others run the whole block
                Tensor running = resid == null ? null : block(sweep, corrupted, layer, resid, outputs, null);
                Tensor joined = joining == 0 ? null : patchedFromZ(sweep, corrupted, layer, outputs,
                        members.subList(joinFrom, next));
                resid = running == null ? joined : joined == null ? running : Tensor.cat(0, running, joined);
            } else {
                if (joining > 0) {
                    Tensor fresh = repeat(corrupted.get("resid_pre", layer).narrow(1, p0, suffix), joining);
                    resid = resid == null ? fresh : Tensor.cat(0, resid, fresh);
                }
                HookFn patch = joining == 0 ? null : patchHook(sweep, members.subList(joinFrom, next), joinFrom * batch);
                resid = block(sweep, corrupted, layer, resid, outputs, patch);
            }
        }
        Tensor logits = model.unembedResidual(readRows(sweep, resid)); // [rows, reads, d_vocab]
        for (int j = 0; j < members.size(); j++) {
            out[members.get(j)] = sweep.score(members.get(j), logits.narrow(0, j * batch, batch));
            progress.step();
        }
    }

    /**
     * Block {@code layer} on resid [rows, pos - p0, d_model] with the corrupted keys and values before p0, and
     * {@code patch} (if not null) on the sweep's hook; resid_post at the last {@code outputs} positions.
     */
    private static Tensor block(PatchSweep sweep, ActivationCache corrupted, int layer, Tensor resid, int outputs,
            HookFn patch) {
        HookedGpt2 model = sweep.model();
        int p0 = sweep.pos() - resid.size(1);
        int copies = resid.size(0) / sweep.batch();
        Tensor pastK = p0 == 0 ? null : repeat(corrupted.get("k", layer).narrow(1, 0, p0), copies);
        Tensor pastV = p0 == 0 ? null : repeat(corrupted.get("v", layer).narrow(1, 0, p0), copies);
        try (HookHandle scope = model.hooks(patch == null ? List.of()
                : List.of(FwdHook.of(sweep.type().hookName(layer), patch)))) {
            int[][] mask = repeatRows(sweep.mask(), copies); // [rows][pos], or null
            return model.blockForward(layer, resid, new BlockSuffix(pastK, pastV, outputs), mask);
        }
    }

    /**
     * The joining patches of a z sweep at their layer: the corrupted z and resid_pre of the last {@code outputs}
     * positions, z patched through hook_z, then the block's second half only (q, k, v and the pattern of this
     * block do not depend on its z). Returns resid_post [joining * batch, outputs, d_model].
     */
    private static Tensor patchedFromZ(PatchSweep sweep, ActivationCache corrupted, int layer, int outputs,
            List<Integer> joining) {
        HookedGpt2 model = sweep.model();
        int from = sweep.pos() - outputs;
        Tensor residPre = repeat(corrupted.get("resid_pre", layer).narrow(1, from, outputs), joining.size());
        Tensor z = repeat(corrupted.get("z", layer).narrow(1, from, outputs), joining.size());
        try (HookHandle scope = model.hooks(List.of(FwdHook.of(sweep.type().hookName(layer),
                patchHook(sweep, joining, 0))))) {
            return model.blockForwardFromZ(layer, residPre, z);
        }
    }

    /** z sweeps start their patched block from the cached z (the model carries no hooks that this would skip). */
    private static boolean resumesFromZ(PatchSweep sweep) {
        return sweep.type().activation().equals("z");
    }

    /** A hook writing the clean values of {@code joining}'s indices into their rows (from {@code firstRow}). */
    private static HookFn patchHook(PatchSweep sweep, List<Integer> joining, int firstRow) {
        return (act, hook) -> {
            Tensor patched = act.copy();
            for (int j = 0; j < joining.size(); j++) {
                int[] index = sweep.indices().get(joining.get(j));
                sweep.type().setter().apply(patched, firstRow + j * sweep.batch(), sweep.batch(), sweep.pos(), index,
                        sweep.clean()[index[0]]);
            }
            return patched;
        };
    }

    /** resid [rows, pos - firstRead, d_model] at the metric's read positions, or all of it when none are declared. */
    private static Tensor readRows(PatchSweep sweep, Tensor resid) {
        int[] reads = sweep.readPositions();
        int first = sweep.firstRead();
        return reads == null ? resid : resid.indexSelect(1, Arrays.stream(reads).map(p -> p - first).toArray());
    }

    private static int layerOf(PatchSweep sweep, int member) {
        return sweep.indices().get(member)[0];
    }

    /** mask [batch][pos] stacked {@code copies} times: [copies * batch][pos]; null stays null. */
    private static int[][] repeatRows(int[][] mask, int copies) {
        if (mask == null) {
            return null;
        }
        int[][] out = new int[copies * mask.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i % mask.length];
        }
        return out;
    }

    /** x [batch, ...] stacked {@code copies} times along dim 0: [copies * batch, ...]. */
    private static Tensor repeat(Tensor x, int copies) {
        if (copies == 1) {
            return x;
        }
        Tensor[] parts = new Tensor[copies];
        Arrays.fill(parts, x);
        return Tensor.cat(0, parts);
    }
}
