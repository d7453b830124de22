// Writes plots to disk: a PNG painted with Java2D and an HTML page with the same drawing as SVG.
package dev.jlens.model.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The files of a plot: {@code name.png} and {@code name.html} in a folder, created when missing. PNGs are painted
 * into an off-screen image, which needs no display (the command line also sets {@code java.awt.headless}).
 */
public final class PlotFiles {
    private PlotFiles() {}

    /** Writes {@code dir/name.png} and {@code dir/name.html}; returns them in that order. */
    public static List<Path> write(Plot plot, Path dir, String name) {
        Path folder = folder(dir);
        return List.of(png(plot, folder.resolve(name + ".png")), html(plot, folder.resolve(name + ".html")));
    }

    /** Paints {@code plot} into a PNG file. */
    public static Path png(Plot plot, Path file) {
        PngCanvas canvas = new PngCanvas(plot.width(), plot.height());
        plot.draw(canvas);
        try {
            if (!ImageIO.write(canvas.finish(), "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this JDK (javax.imageio)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Writes {@code plot} as a self-contained HTML page ({@link HtmlPage}). */
    public static Path html(Plot plot, Path file) {
        try {
            Files.writeString(file, HtmlPage.of(plot.title(), List.of(plot)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Creates {@code dir} if needed and checks that files can be written there; errors name the path. */
    public static Path folder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the plot folder " + dir.toAbsolutePath() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new UncheckedIOException("the plot folder " + dir.toAbsolutePath() + " is not writable",
                    new IOException("not writable: " + dir));
        }
        return dir;
    }
}
