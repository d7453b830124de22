// The CPU kernels' worker threads: -Djlens.threads (default: all cores), shared by every op family.
package dev.jlens.kernels.cpu;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Splits kernel work across threads: the calling thread plus {@code COUNT - 1} helpers (a {@link WorkerCrew})
 * take task indices from a shared counter, so uneven tasks balance themselves. Between kernels the helpers
 * spin for {@code -Djlens.spinMicros} (default 1000; 0 parks them at once) before they sleep. Nested calls
 * from inside a task, and calls from a second thread while one runs, run inline.
 */
public final class CpuThreads {
    /** Threads a kernel may use, including the caller. */
    public static final int COUNT = threads(System.getProperty("jlens.threads"));

    private static final WorkerCrew CREW = new WorkerCrew("jlens-cpu", COUNT,
            TimeUnit.MICROSECONDS.toNanos(spinMicros(System.getProperty("jlens.spinMicros"))));

    private CpuThreads() {}

    /**
     * Fewest units of work (multiply-adds, or floats streamed from memory) for which
     * {@link #parallelFor(int, long, IntConsumer)} goes parallel: below it (~20 us on one core) handing tasks to
     * the helpers and waiting for the last one costs more than it saves.
     */
    public static final long PARALLEL_MIN_WORK = 1L << 20;

    /** Runs {@code task.accept(i)} for every i in [0, n), in parallel when n > 1 and threads are available. */
    public static void parallelFor(int n, IntConsumer task) {
        CREW.parallelFor(n, task);
    }

    /**
     * {@link #parallelFor(int, IntConsumer)} when {@code work} (the tasks' multiply-adds or floats read, all
     * together) reaches {@link #PARALLEL_MIN_WORK}, else tasks 0..n-1 in order on the calling thread. Tasks are
     * independent either way, so their results do not depend on the choice.
     */
    public static void parallelFor(int n, long work, IntConsumer task) {
        if (work >= PARALLEL_MIN_WORK) {
            CREW.parallelFor(n, task);
            return;
        }
        for (int i = 0; i < n; i++) {
            task.accept(i);
        }
    }

    static int threads(String property) {
        if (property == null || property.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n = parseOrMinusOne(property);
        if (n < 1) {
            throw new IllegalArgumentException("-Djlens.threads=" + property + " is not a positive thread count");
        }
        return n;
    }

    static long spinMicros(String property) {
        if (property == null || property.isBlank()) {
            return 1000;
        }
        int micros = parseOrMinusOne(property);
        if (micros < 0) {
            throw new IllegalArgumentException("-Djlens.spinMicros=" + property
                    + " is not a spin time in microseconds (0 or more)");
        }
        return micros;
    }

    private static int parseOrMinusOne(String property) {
        try {
            return Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
