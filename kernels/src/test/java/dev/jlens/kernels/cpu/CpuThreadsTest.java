// CpuThreads' properties: defaults, accepted values and the messages for bad ones.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {
    @Test
    void threadsDefaultToTheCoresAndAcceptPositiveCounts() {
        assertEquals(Runtime.getRuntime().availableProcessors(), CpuThreads.threads(null));
        assertEquals(Runtime.getRuntime().availableProcessors(), CpuThreads.threads(" "));
        assertEquals(3, CpuThreads.threads(" 3 "));
    }

    @Test
    void badThreadCountsAreNamed() {
        for (String bad : new String[] {"0", "-2", "two"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuThreads.threads(bad));
            assertEquals("-Djlens.threads=" + bad + " is not a positive thread count", e.getMessage());
        }
    }

    @Test
    void spinDefaultsToOneMillisecondAndAcceptsZero() {
        assertEquals(1000, CpuThreads.spinMicros(null));
        assertEquals(0, CpuThreads.spinMicros("0"));
        assertEquals(250, CpuThreads.spinMicros("250"));
    }

    @Test
    void badSpinTimesAreNamed() {
        for (String bad : new String[] {"-1", "1ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuThreads.spinMicros(bad));
            assertEquals("-Djlens.spinMicros=" + bad + " is not a spin time in microseconds (0 or more)",
                    e.getMessage());
        }
    }

    @Test // catches small work handed to the helpers or run out of order, and large work that skips or repeats a task
    void parallelForRunsWorkBelowTheThresholdInlineInOrderAndLargeWorkOnceEach() {
        List<Integer> order = new ArrayList<>();
        Set<Thread> threads = new HashSet<>();
        CpuThreads.parallelFor(50, CpuThreads.PARALLEL_MIN_WORK - 1, i -> {
            order.add(i);
            threads.add(Thread.currentThread());
        });
        assertEquals(IntStream.range(0, 50).boxed().toList(), order);
        assertEquals(Set.of(Thread.currentThread()), threads);
        AtomicIntegerArray runs = new AtomicIntegerArray(500);
        CpuThreads.parallelFor(500, CpuThreads.PARALLEL_MIN_WORK, runs::incrementAndGet);
        for (int i = 0; i < 500; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
    }
}
