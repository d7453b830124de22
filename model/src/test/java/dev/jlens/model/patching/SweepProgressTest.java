// The console progress bar of long sweeps: what it draws, when it redraws, and that it stays silent off a terminal.
package dev.jlens.model.patching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SweepProgressTest {
    @Test // catches a bar that skips the final count, fills wrongly, or leaves the cursor on its line
    void drawsTheFinalCountWithAFullBarAndEndsItsLine() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (SweepProgress bar = SweepProgress.to(new PrintStream(buffer, true, StandardCharsets.UTF_8), "sweep", 4)) {
            for (int i = 0; i < 4; i++) {
                bar.step();
            }
        }
        String drawn = buffer.toString(StandardCharsets.UTF_8);
        String[] redraws = drawn.split("\r");
        assertEquals(3, redraws.length, "one draw at the first step (then throttled to 10/s), one at the last: "
                + drawn);
        assertTrue(redraws[1].startsWith("sweep [#######                       ] 1/4 patches, "), redraws[1]);
        assertTrue(redraws[2].startsWith("sweep [" + "#".repeat(30) + "] 4/4 patches, "), redraws[2]);
        assertTrue(drawn.endsWith(" patches/s" + System.lineSeparator()), drawn);
    }

    @Test // catches progress output leaking into logs and pipes: surefire's forked JVM has no terminal
    void autoIsSilentWithoutATerminal() {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try (SweepProgress bar = SweepProgress.auto("sweep", 2)) {
            bar.step();
            bar.step();
        } finally {
            System.setErr(original);
        }
        assertEquals("", buffer.toString(StandardCharsets.UTF_8));
    }
}
