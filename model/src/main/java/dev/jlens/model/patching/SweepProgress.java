// A console progress bar for long patch sweeps (TL shows tqdm); silent unless stderr belongs to a terminal.
package dev.jlens.model.patching;

import java.io.PrintStream;
import java.util.Locale;

/** Counts finished patches of a sweep and redraws one line on stderr at most ten times a second. */
final class SweepProgress implements AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out; // null when silent
    private final String label;
    private final int total;
    private final long startNanos = System.nanoTime();
    private int done;
    private long lastDraw;

    private SweepProgress(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** A bar on stderr when the JVM runs in a terminal, otherwise silent (no bar in logs, pipes or tests). */
    static SweepProgress auto(String label, int total) {
        java.io.Console console = System.console();
        return to(console != null && console.isTerminal() ? System.err : null, label, total);
    }

    /** A bar drawn on {@code out}, or a silent one when {@code out} is null. */
    static SweepProgress to(PrintStream out, String label, int total) {
        return new SweepProgress(out, label, total);
    }

    /** One more patch is scored. */
    void step() {
        done++;
        long now = System.nanoTime();
        if (out != null && (now - lastDraw >= REDRAW_NANOS || done == total)) {
            lastDraw = now;
            out.print("\r" + line(now));
            out.flush();
        }
    }

    private String line(long now) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        double seconds = (now - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d patches, %.1f s, %.1f patches/s", label,
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, seconds, done / Math.max(seconds, 1e-9));
    }

    /** Ends the bar's line. */
    @Override
    public void close() {
        if (out != null && done > 0) {
            out.println();
        }
    }
}
