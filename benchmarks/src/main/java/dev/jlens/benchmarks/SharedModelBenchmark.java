// Throughput of one GPT-2-small-shaped model shared by one caller thread vs two, each calling forward at 1x15.
package dev.jlens.benchmarks;

import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.RandomWeights;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Forwards per second, summed over the caller threads (JMH throughput mode), of one shared model with GPT-2 small's
 * shape (seeded random weights) on one prompt of 15 tokens: {@link #oneCaller} beside {@link #twoCallers}, each
 * thread calling {@code forward} in a loop. The fair configuration gives every caller one worker thread, itself:
 * {@code -jvmArgsPrepend -Djlens.threads=1}, so one caller computes on one core and two callers on two, and
 * twoCallers / oneCaller says how well concurrent runs scale (issue 16's target: 1.6 or more). Without the
 * property the CPU backend's crew has one thread per core and a caller's kernel takes its share of it (README,
 * "One model serves many threads"). scripts/bench-threads.sh runs both configurations and prints the ratios.
 *
 * <p>On a machine shared with other work the wall-clock ratio depends on the share of the cores the scheduler
 * gives one thread and two; so each caller also counts its own CPU time ({@link CallerCpu}): in the fair configuration, where the
 * callers do all the work, cpuMillis / forwards is the CPU cost of a forward, and two callers that slow each other
 * down (memory bandwidth, shared caches, locks) show it as a higher cost than one caller's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SharedModelBenchmark extends JlensBenchmark {
    private HookedGpt2 model;
    private int[][] tokens; // [1, 15]

    @Setup(Level.Trial)
    public void setup() {
        Gpt2Config cfg = Gpt2Config.preset("gpt2");
        model = Gpt2Assembly.fromStateDict(cfg, RandomWeights.stateDict(cfg, 0));
        tokens = randomTokens(1, 15, cfg.dVocab(), 1);
    }

    /** CPU milliseconds the calling threads spent in forward, as a rate beside forwards per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class CallerCpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double cpuMillis;

        float forward(HookedGpt2 model, int[][] tokens) {
            long start = THREADS.getCurrentThreadCpuTime();
            float logit = model.forward(tokens).get(0, 14, 0);
            cpuMillis += (THREADS.getCurrentThreadCpuTime() - start) * 1e-6;
            return logit;
        }
    }

    /** One thread calling forward on the shared model: logits [1, 15, 50257]. */
    @Benchmark
    @Threads(1)
    public float oneCaller(CallerCpu cpu) {
        return cpu.forward(model, tokens);
    }

    /** Two threads calling forward on the same model at once; the score is their forwards per second together. */
    @Benchmark
    @Threads(2)
    public float twoCallers(CallerCpu cpu) {
        return cpu.forward(model, tokens);
    }
}
