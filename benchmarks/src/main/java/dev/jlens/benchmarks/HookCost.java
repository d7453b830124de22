// What observing and caching cost, measured as paired, interleaved forwards in one JVM: robust to host drift.
package dev.jlens.benchmarks;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * ForwardBenchmark's three variants on one checkpoint (unprocessed, B x P random tokens): the plain forward,
 * runWithHooks with an observing hook (returns null) at every hook point, and runWithCache of every activation.
 * JMH runs each variant for seconds in its own fork; on a shared 2-core host the machine's speed drifts by tens of
 * percent over such spans and each fork compiles the GEMM tile anew, which hides a 15% effect. Here, after warm-up,
 * each repetition runs the three back to back (rotating which goes first) and the cost of a variant is the median
 * over repetitions of its time divided by the plain forward's in the same repetition.
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
        int[][] tokens = new int[Integer.parseInt(bp[0])][Integer.parseInt(bp[1])];
        SplittableRandom random = new SplittableRandom(1);
        for (int[] row : tokens) {
            for (int p = 0; p < row.length; p++) {
                row[p] = random.nextInt(model.cfg().dVocab());
            }
        }
        List<FwdHook> observe = List.of(FwdHook.of(NameFilter.all(), (act, hook) -> null));
        String[] names = {"none", "observe", "cache"};
        List<Supplier<Tensor>> variants = List.of(() -> model.forward(tokens),
                () -> model.runWithHooks(tokens, observe), () -> model.runWithCache(tokens).output().logits());
        double[][] ms = new double[3][reps]; // [variant, repetition]
        for (int r = -warmup; r < reps; r++) {
            for (int i = 0; i < 3; i++) {
                int v = Math.floorMod(r + i, 3);
                long t0 = System.nanoTime();
                float sink = variants.get(v).get().get(0, 0, 0);
                long t1 = System.nanoTime();
                if (r >= 0) {
                    ms[v][r] = (t1 - t0) / 1e6 + (sink == Float.MIN_VALUE ? 1e-9 : 0); // keeps the logits live
                }
            }
        }
        for (int v = 0; v < 3; v++) {
            double[] ratio = new double[reps];
            for (int r = 0; r < reps; r++) {
                ratio[r] = ms[v][r] / ms[0][r];
            }
            double[] sorted = ms[v].clone();
            Arrays.sort(sorted);
            Arrays.sort(ratio);
            System.out.printf("%-8s min %7.1f ms  median %7.1f ms  paired ratio to none: median %.3f (quartiles %.3f"
                    + " .. %.3f)%n", names[v], sorted[0], sorted[reps / 2], ratio[reps / 2], ratio[reps / 4],
                    ratio[3 * reps / 4]);
        }
    }
}
