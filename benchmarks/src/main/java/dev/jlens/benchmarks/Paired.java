// Paired, interleaved timing of a few variants in one JVM: each repetition runs every variant once, back to back.
package dev.jlens.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * For effects smaller than a shared host's drift. JMH runs each variant for seconds in its own fork; on a 2-core host
 * the machine's speed moves by tens of percent over such spans and each fork compiles the kernels anew. Here each
 * repetition runs every variant once (rotating which goes first), and a variant's cost is the median over
 * repetitions of its time divided by the first variant's (the baseline) in the same repetition.
 */
final class Paired {
    private Paired() {}

    /**
     * Runs {@code warmup} unrecorded then {@code reps} recorded repetitions of {@code variants} and prints, per
     * variant, its min and median ms and the median (and quartiles) of its per-repetition ratio to variant 0.
     * Each variant's result is read (its hash folded into the output) so that no work is optimised away.
     */
    static void run(List<String> names, List<Supplier<Object>> variants, int warmup, int reps) {
        int n = variants.size();
        double[][] ms = new double[n][reps]; // [variant, repetition]
        int sink = 0;
        for (int r = -warmup; r < reps; r++) {
            for (int i = 0; i < n; i++) {
                int v = Math.floorMod(r + i, n);
                long t0 = System.nanoTime();
                Object result = variants.get(v).get();
                long t1 = System.nanoTime();
                sink += System.identityHashCode(result);
                if (r >= 0) {
                    ms[v][r] = (t1 - t0) / 1e6;
                }
            }
        }
        for (int v = 0; v < n; v++) {
            double[] ratio = new double[reps];
            for (int r = 0; r < reps; r++) {
                ratio[r] = ms[v][r] / ms[0][r];
            }
            double[] sorted = ms[v].clone();
            Arrays.sort(sorted);
            Arrays.sort(ratio);
            System.out.printf("%-10s min %8.2f ms  median %8.2f ms  paired ratio to %s: median %.3f (quartiles %.3f"
                    + " .. %.3f)%n", names.get(v), sorted[0], sorted[reps / 2], names.get(0), ratio[reps / 2],
                    ratio[reps / 4], ratio[3 * reps / 4]);
        }
        System.out.println("(" + reps + " repetitions after " + warmup + " of warm-up; checksum " + sink + ")");
    }
}
