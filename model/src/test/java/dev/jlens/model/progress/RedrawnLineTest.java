// RedrawnLine: the first update draws, updates within 100 ms of the last drawing are skipped, end closes the line.
package dev.jlens.model.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedrawnLineTest {
    @Test // catches a throttle that draws every update, never draws the first, or times from the wrong drawing
    void drawsAtMostOnceEvery100MillisecondsAndEndsTheLine() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        RedrawnLine line = new RedrawnLine(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        long ms = 1_000_000L;
        long t0 = -5_000 * ms; // nanoTime may be negative
        for (long t : new long[] {0, 40, 99, 100, 150, 199, 201, 250}) {
            line.redraw(t0 + t * ms, now -> "at " + (now - t0) / ms);
        }
        line.end("done");
        assertEquals("\rat 0\rat 100\rat 201\rdone" + System.lineSeparator(),
                buffer.toString(StandardCharsets.UTF_8));
    }
}
