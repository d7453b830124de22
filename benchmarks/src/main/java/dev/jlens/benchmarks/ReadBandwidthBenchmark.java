// The memory roofline of a one-row product: the time to read B's K*N floats once on all threads, with no math.
package dev.jlens.benchmarks;

import dev.jlens.kernels.cpu.CpuThreads;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sums the K*N floats of a B-sized array on {@link CpuThreads}, in tasks of 768 KiB (a GEMV task's 16 panels at
 * K = 768), 4 vector accumulators per task. A product of one row must read every byte of B once too, so this time
 * is the floor for {@link SgemmBenchmark} at the same MxKxN (M is ignored here): GB/s = 4*K*N / (ms/op * 1e6).
 * scripts/bench-sgemm.sh runs it beside the one-row shapes, so both sides of the numpy ratio can be read against it.
 */
@State(Scope.Benchmark)
public class ReadBandwidthBenchmark extends JlensBenchmark {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int TASK_FLOATS = 16 * 16 * 768;

    @Param({"1x768x50257", "1x768x3072"})
    public String shape;

    private float[] b; // [K * N]
    private float[] partial; // one sum per task

    @Setup(Level.Trial)
    public void setup() {
        int[] mkn = parseShape(shape);
        b = randoms(Math.multiplyExact(mkn[1], mkn[2]), 2);
        partial = new float[(b.length + TASK_FLOATS - 1) / TASK_FLOATS];
    }

    /** Reads all of B once: 4*K*N bytes. */
    @Benchmark
    public float[] read() {
        CpuThreads.parallelFor(partial.length, t -> partial[t] = sum(t * TASK_FLOATS,
                Math.min(b.length, (t + 1) * TASK_FLOATS)));
        return partial;
    }

    // sum of b[from, to): 4 independent vector adds per step so the loop is bound by loads, not by add latency
    private float sum(int from, int to) {
        int step = 4 * SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = from;
        for (; i + step <= to; i += step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, b, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, b, i + SPECIES.length()));
            s2 = s2.add(FloatVector.fromArray(SPECIES, b, i + 2 * SPECIES.length()));
            s3 = s3.add(FloatVector.fromArray(SPECIES, b, i + 3 * SPECIES.length()));
        }
        float total = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            total += b[i];
        }
        return total;
    }
}
