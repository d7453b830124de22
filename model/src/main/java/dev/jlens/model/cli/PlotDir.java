// --plot DIR: writes a command's pictures (PNG + HTML) into a folder and says where they are.
package dev.jlens.model.cli;

import dev.jlens.model.plot.Plot;
import dev.jlens.model.plot.PlotFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The plot folder of a command; each plot becomes NAME.png and NAME.html, and one line on the output. */
record PlotDir(Path dir, PrintStream out) {
    /** The folder ./jlens run writes to when --plot is not given. */
    static final Path DEFAULT = Path.of("jlens-plots");

    /** Writes {@code plot} as {@code name}.png and .html, printing "plot: WHAT: PNG (hover values: HTML)". */
    void write(Plot plot, String name, String what) {
        List<Path> files = PlotFiles.write(plot, dir, name);
        out.println("plot: " + what + ": " + files.get(0) + "  (hover values: " + files.get(1) + ")");
    }
}
