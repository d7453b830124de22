// What observing and caching every hook point cost: paired, interleaved forwards in one JVM (robust to host drift).
package dev.jlens.benchmarks;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import java.util.List;

/**
 * ForwardBenchmark's three variants on one checkpoint (unprocessed, B x P random tokens), {@link Paired}: the plain
 * forward, runWithHooks with an observing hook (returns null) at every hook point, and runWithCache of every
 * activation; a variant's cost is the median of its per-repetition ratio to the plain forward.
 *
 * <pre>{@code java -cp benchmarks.jar dev.jlens.benchmarks.HookCost CHECKPOINT [BxP] [warmup] [reps]}</pre>
 * (scripts/bench-hooks.sh runs it).
 */
public final class HookCost {
    private HookCost() {}

    /** Args: checkpoint folder, batch (default 8x15), warm-up repetitions (10), measured repetitions (30). */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: HookCost CHECKPOINT [BxP] [WARMUP] [REPS]");
            System.exit(2);
        }
        String[] bp = (args.length > 1 ? args[1] : "8x15").split("x");
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        HookedGpt2 model = Pretrained.load(args[0], ProcessingOptions.none());
        int[][] tokens = JlensBenchmark.randomTokens(Integer.parseInt(bp[0]), Integer.parseInt(bp[1]),
                model.cfg().dVocab(), 1);
        List<FwdHook> observe = List.of(FwdHook.of(NameFilter.all(), (act, hook) -> null));
        Paired.run(List.of("none", "observe", "cache"), List.of(() -> model.forward(tokens),
                () -> model.runWithHooks(tokens, observe), () -> model.runWithCache(tokens).output().logits()),
                warmup, reps);
    }
}
