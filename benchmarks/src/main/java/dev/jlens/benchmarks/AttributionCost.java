// Attribution patching in forward-equivalents: paired, interleaved runs in one JVM (robust to host drift).
package dev.jlens.benchmarks;

import dev.jlens.model.patching.AttributionPatching;
import dev.jlens.model.patching.PatchType;
import java.util.List;

/**
 * PatchingBenchmark's attribution loop on its model and prompts (GPT-2-small shape, seeded random weights, 8 x 15,
 * a logit difference at the last position), {@link Paired}: the plain forward of the clean prompts, then one
 * attribution estimate of resid_pre by layer x pos, of head z all positions and by position, and of every sweep
 * ({@link PatchType}'s values) from one backward. Each estimate's cost is the median of its per-repetition ratio to
 * the forward: its forward-equivalents.
 *
 * <pre>{@code java -cp benchmarks.jar dev.jlens.benchmarks.AttributionCost [warmup] [reps]}</pre>
 * (scripts/bench-patching.sh runs it).
 */
public final class AttributionCost {
    private AttributionCost() {}

    /** Args: warm-up repetitions (3), measured repetitions (15). */
    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        PatchingBenchmark b = new PatchingBenchmark();
        b.sweep = "resid_pre";
        b.loop = "attribution";
        b.subset = "full";
        b.setup();
        List<PatchType> every = List.of(PatchType.values());
        Paired.run(List.of("forward", "resid_pre", "z all pos", "z by pos", "every sweep"), List.of(
                () -> b.model.forward(b.clean),
                () -> AttributionPatching.actPatch(b.model, b.clean, b.corrupted, b.differentiable,
                        PatchType.RESID_PRE),
                () -> AttributionPatching.actPatch(b.model, b.clean, b.corrupted, b.differentiable,
                        PatchType.ATTN_HEAD_OUT_ALL_POS),
                () -> AttributionPatching.actPatch(b.model, b.clean, b.corrupted, b.differentiable,
                        PatchType.ATTN_HEAD_OUT_BY_POS),
                () -> AttributionPatching.estimate(b.model, b.clean, b.corrupted, b.differentiable, every)),
                warmup, reps);
    }
}
