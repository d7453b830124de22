// Download feedback on stderr: a redrawn bar (bytes, percent, rate) on a console, one line per file otherwise.
// Mirrors the role of huggingface_hub's tqdm bars; nothing is printed in silent mode.
package dev.jlens.model.weights;

import dev.jlens.model.progress.RedrawnLine;
import java.io.PrintStream;
import java.util.Locale;

/** Reports one file's progress at a time; not thread-safe (one download runs at a time). */
public final class DownloadProgress {
    private enum Mode { SILENT, LINES, BAR }

    private final Mode mode;
    private final PrintStream out;
    private final RedrawnLine bar; // null unless mode is BAR
    private String file;
    private long startBytes;
    private long bytes;
    private long total;
    private long startNanos;

    private DownloadProgress(Mode mode, PrintStream out) {
        this.mode = mode;
        this.out = out;
        this.bar = mode == Mode.BAR ? new RedrawnLine(out) : null;
    }

    /** A bar on stderr when {@link System#console()} is present, otherwise one line per file. */
    public static DownloadProgress auto() {
        return new DownloadProgress(System.console() != null ? Mode.BAR : Mode.LINES, System.err);
    }

    /** Prints nothing. */
    public static DownloadProgress silent() {
        return new DownloadProgress(Mode.SILENT, null);
    }

    /** One line per finished file on {@code out}. */
    public static DownloadProgress lines(PrintStream out) {
        return new DownloadProgress(Mode.LINES, out);
    }

    /** A redrawn bar on {@code out}. */
    public static DownloadProgress bar(PrintStream out) {
        return new DownloadProgress(Mode.BAR, out);
    }

    /** A file starts (or resumes at {@code offset}); {@code total} is -1 when unknown. */
    void start(String fileName, long offset, long totalBytes) {
        file = fileName;
        startBytes = offset;
        bytes = offset;
        total = totalBytes;
        startNanos = System.nanoTime();
    }

    /** {@code n} more bytes arrived. */
    void advance(long n) {
        bytes += n;
        if (bar != null) {
            bar.redraw(System.nanoTime(), this::line);
        }
    }

    /** The file is complete. */
    void done() {
        if (bar != null) {
            bar.end(line(System.nanoTime()));
        } else if (mode == Mode.LINES) {
            out.println("downloaded " + line(System.nanoTime()));
        }
    }

    /** The file failed part way; ends a bar's line so the error starts on its own. */
    void failed() {
        if (mode == Mode.BAR) {
            out.println();
        }
    }

    private String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (bytes - startBytes) / seconds;
        String size = total > 0 ? mb(bytes) + "/" + mb(total) + " MB" : mb(bytes) + " MB";
        String pct = total > 0 ? String.format(Locale.ROOT, "%3d%% ", bytes * 100 / total) : "";
        int filled = total > 0 ? (int) Math.min(20, bytes * 20 / total) : 0;
        String bar = total > 0 ? "|" + "#".repeat(filled) + " ".repeat(20 - filled) + "| " : "";
        return String.format(Locale.ROOT, "%s %s%s%s  %.1f MB/s", file, pct, bar, size, rate / 1e6);
    }

    private static String mb(long n) {
        return String.format(Locale.ROOT, "%.1f", n / 1e6);
    }
}
