// The JMH settings every jlens benchmark shares: one fork with the Vector API module, warm-up long enough for C2.
package dev.jlens.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Base class of the jlens benchmarks (JMH samples style): class-level fork, warm-up and measurement settings
 * live here once. Warm-up runs 8 iterations of 1 s: the kernels are compiled by C2 only after thousands of
 * calls of their inner methods, and OSR code from the first calls is slower. Scores are average time per
 * operation; each benchmark's Javadoc gives the work per operation so scripts can derive GFLOP/s or GB/s.
 * Transparent huge pages (where the kernel offers them on request, as numpy requests them for its arrays): the
 * packed 768 x 50257 unembedding is streamed from memory by the 1-row product, which ran 15-20% faster with them
 * (three alternated A/B runs). Override the annotations on a subclass (or with -wi/-i/-f on the command line) where a baseline is slow.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xms2g", "-Xmx8g", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 10, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class JlensBenchmark {
    /** Parses "MxKxN" into {M, K, N}. */
    static int[] parseShape(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape " + shape + " is not MxKxN");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** A float array of the given size filled with uniform values in [-1, 1), seeded. */
    static float[] randoms(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Token ids [batch][positions], uniform in [0, vocab), drawn row by row from a SplittableRandom of seed. */
    static int[][] randomTokens(int batch, int positions, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] tokens = new int[batch][positions];
        for (int[] row : tokens) {
            for (int p = 0; p < positions; p++) {
                row[p] = random.nextInt(vocab);
            }
        }
        return tokens;
    }
}
