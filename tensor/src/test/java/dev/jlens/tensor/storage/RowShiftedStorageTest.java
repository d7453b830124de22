// A row-shifted storage reads float(base - row shift) and refuses writes; a file region maps again or says why not.
package dev.jlens.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowShiftedStorageTest {
    @Test
    void eachElementLosesItsRowsShiftInDoubleThenRoundsToFloat() {
        float[] base = {1f, 2f, 3f, 1f, 0.2f, 0.3f};
        double[] shifts = {2.0, 1.0 / 3};
        RowShiftedStorage s = new RowShiftedStorage(new HeapStorage(base), 3, shifts);
        assertEquals(6, s.size());
        assertEquals(-1f, s.get(0));
        assertEquals(1f, s.get(2));
        assertEquals(0.6666667f, s.get(3)); // float(1 - 1/3) in double; in float, 1f - (float) (1/3) is 0.6666666f
        assertNotEquals(1f - (float) (1.0 / 3), s.get(3));
        assertEquals((float) ((double) 0.3f - 1.0 / 3), s.get(5));
        assertThrows(UnsupportedOperationException.class, () -> s.set(0, 1f));
    }

    @Test
    void aBaseThatIsNotWholeRowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RowShiftedStorage(new HeapStorage(new float[7]), 3, new double[2]));
        assertTrue(e.getMessage().contains("7 elements is not 2 rows of 3"), e.getMessage());
    }

    @Test
    void aFileRegionMapsItsBytesAgainOrNamesTheShortFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.bin");
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(7).putFloat(1.5f).putFloat(-2f).putFloat(4f);
        Files.write(file, bytes.array());
        FileRegion region = FileRegion.of(file, 0);
        MemorySegment kept = region.plus(4).mapKept(8);
        assertTrue(kept.isMapped());
        assertEquals(1.5f, kept.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0));
        assertEquals(-2f, kept.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> region.plus(12).mapKept(8));
        assertTrue(e.getMessage().contains("is 16 bytes now, too short for the 8 bytes at offset 12"), e.getMessage());
    }

    @Test
    void aFileReplacedAtTheSamePathIsNeverMappedInItsPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.bin");
        Files.write(file, new byte[16]);
        FileRegion region = FileRegion.of(file, 0);
        Path other = Files.write(dir.resolve("new.bin"), new byte[16]); // a download's atomic rename over the old
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> region.mapKept(16));
        assertTrue(e.getMessage().contains("was replaced since it was opened"), e.getMessage());
    }
}
