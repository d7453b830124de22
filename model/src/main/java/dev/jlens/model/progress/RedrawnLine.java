// One console line redrawn in place ("\r" + text) at most ten times a second: the throttle of jlens' progress lines.
package dev.jlens.model.progress;

import java.io.PrintStream;
import java.util.function.LongFunction;

/**
 * A line on a terminal stream that progress reports redraw as work advances; redraws closer than 100 ms to the last
 * are skipped, so a fast loop does not flood the terminal. Not thread-safe: callers that share one synchronize.
 */
public final class RedrawnLine {
    private static final long REDRAW_NANOS = 100_000_000L; // at most ten redraws a second

    private final PrintStream out;
    private boolean drawn;
    private long lastDraw;

    /** A line drawn on {@code out}. */
    public RedrawnLine(PrintStream out) {
        this.out = out;
    }

    /**
     * Redraws the line as {@code text.apply(now)} unless it was drawn less than 100 ms ago.
     *
     * @param now  {@link System#nanoTime()} of this update
     * @param text the line's text at {@code now} (made only when it is drawn)
     */
    public void redraw(long now, LongFunction<String> text) {
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        drawn = true;
        lastDraw = now;
        out.print("\r" + text.apply(now));
        out.flush();
    }

    /** Draws {@code text} over the line and ends it, so that what follows starts on a new line. */
    public void end(String text) {
        out.println("\r" + text);
    }
}
