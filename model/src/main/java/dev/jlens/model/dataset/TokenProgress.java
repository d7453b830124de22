// A console progress line for corpus jobs: contexts done and tokens/s; silent unless stderr is a terminal.
package dev.jlens.model.dataset;

import dev.jlens.model.progress.RedrawnLine;
import java.io.PrintStream;
import java.util.Locale;

/** Counts tokens processed and redraws one line on stderr at most ten times a second. Thread-safe. */
public final class TokenProgress implements AutoCloseable {
    private final RedrawnLine out; // null when silent
    private final String label;
    private final long startNanos = System.nanoTime();
    private long contexts;
    private long tokens;

    private TokenProgress(PrintStream out, String label) {
        this.out = out == null ? null : new RedrawnLine(out);
        this.label = label;
    }

    /** A line on stderr when the JVM runs in a terminal, otherwise silent (no bar in logs, pipes or tests). */
    public static TokenProgress auto(String label) {
        java.io.Console console = System.console();
        return to(console != null && console.isTerminal() ? System.err : null, label);
    }

    /** A line drawn on {@code out}, or a silent one when {@code out} is null. */
    public static TokenProgress to(PrintStream out, String label) {
        return new TokenProgress(out, label);
    }

    /** {@code n} more contexts of {@code tokensEach} tokens are done. */
    public synchronized void add(int n, int tokensEach) {
        contexts += n;
        tokens += (long) n * tokensEach;
        if (out != null) {
            out.redraw(System.nanoTime(), this::line);
        }
    }

    /** The line as drawn: label, contexts, tokens, seconds and tokens/s. */
    synchronized String line(long now) {
        double seconds = (now - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%s: %d contexts, %d tokens, %.1f s, %.0f tokens/s", label, contexts,
                tokens, seconds, tokens / Math.max(seconds, 1e-9));
    }

    /** Ends the line. */
    @Override
    public synchronized void close() {
        if (out != null && contexts > 0) {
            out.end(line(System.nanoTime()));
        }
    }
}
