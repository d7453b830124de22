// CpuThreads' properties: defaults, accepted values and the messages for bad ones.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
