// ./jlens patch --attribution: estimates in the exact sweep's shape, ranking the induction head first.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchAttributionCommandTest {
    private static final String CLEAN = " one two three four five six one two three four five six";
    private static final String CORRUPTED = " one two three four five six red blue green pink gray black";

    @Test
    void writesEstimatesInTheSweepsShape(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("z.npy");
        assertEquals(0, Main.run(new String[] {"patch", "--model", "induction-2l", "--act", "z", "--attribution",
                "--clean", CLEAN, "--corrupted", CORRUPTED, "--out", out.toString()}));
        Tensor result = Npy.read(out);
        assertArrayEquals(new int[] {2, 8}, result.shape());
        assertEquals(1 * 8 + 5, (int) result.reshape(-1).argmax(0).item(), result.toString());
    }

    @Test
    void promptsOfDifferentLengthsArePaddedAndMasked(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("z.npy");
        assertEquals(0, Main.run(new String[] {"patch", "--model", "induction-2l", "--act", "z", "--attribution",
                "--clean", CLEAN, "--corrupted", CORRUPTED, "--clean", " one two three one two three", "--corrupted",
                " one two three red blue green", "--out", out.toString()}));
        Tensor result = Npy.read(out);
        assertArrayEquals(new int[] {2, 8}, result.shape());
        assertEquals(1 * 8 + 5, (int) result.reshape(-1).argmax(0).item(), result.toString());
    }

    @Test
    void naiveAndAttributionTogetherAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"patch", "--model",
                "induction-2l", "--act", "z", "--attribution", "--naive", "--clean", CLEAN, "--corrupted",
                CORRUPTED}));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }
}
