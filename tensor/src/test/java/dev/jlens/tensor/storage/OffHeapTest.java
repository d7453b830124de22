// Native blocks: zeroed, counted while live, and large ones given back to the system when freed (Linux).
package dev.jlens.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class OffHeapTest {
    @Test
    void blocksAreZeroedWritableAndCountedWhileLive() {
        for (long bytes : new long[] {24, OffHeap.MAP_MIN + 12}) {
            long before = OffHeap.liveBytes();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = OffHeap.allocate(bytes, arena, "a test block");
                assertEquals(bytes, block.byteSize());
                for (long i = 0; i < bytes; i += 4093) {
                    assertEquals(0, block.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
                    block.set(ValueLayout.JAVA_BYTE, i, (byte) 7);
                }
                assertEquals(before + bytes, OffHeap.liveBytes());
            }
            assertEquals(before, OffHeap.liveBytes(), bytes + " bytes freed with their arena");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void largeBlocksLeaveTheAddressSpaceWhenFreed() throws IOException {
        // twice: after glibc frees one large calloc'd block it serves the next from its arenas and keeps it mapped
        for (int round = 0; round < 2; round++) {
            long address;
            try (Arena arena = Arena.ofConfined()) {
                address = OffHeap.allocate(4 * OffHeap.MAP_MIN, arena, "a large test block").address();
                assertTrue(mapped(address), "round " + round + ": the block is mapped while live");
            }
            assertFalse(mapped(address), "round " + round + ": the block's pages went back to the system");
        }
    }

    /** True when some mapping of this process in /proc/self/maps holds {@code address}. */
    private static boolean mapped(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            if (Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
                    && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0) {
                return true;
            }
        }
        return false;
    }
}
