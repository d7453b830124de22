// Heatmap PNGs: red where values are positive, blue where negative, grey NaN, labels checked against the tensor.
package dev.jlens.model.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapPngTest {
    // [3, 8]: columns 0-3 positive, 4-7 negative, magnitudes varying by row and column; the largest value 0.95 at
    // row 2, column 3 (the browser test reads it back)
    static Tensor leftPositive() {
        Tensor t = Tensor.zeros(3, 8);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 8; j++) {
                t.set((j < 4 ? 1 : -1) * (0.6f + 0.1f * i + 0.05f * (j % 4)), i, j);
            }
        }
        return t;
    }

    @Test // catches a flipped scale (plotly's own RdBu puts red low), a transposed image, or a flat picture
    void positiveCellsAreRedAndLeftOfTheBlueNegativeOnes(@TempDir Path dir) throws Exception {
        Heatmap map = Heatmap.of(leftPositive()).title("left positive").xTitle("Position").yTitle("Layer")
                .x(Labels.positions(List.of("<|endoftext|>", " When", " Mary", "\n", " \"quoted\"", "'", " a", " b")))
                .showValues(true).build();
        List<Path> files = PlotFiles.write(map, dir, "left");
        assertEquals(List.of(dir.resolve("left.png"), dir.resolve("left.html")), files);
        PlotFiles.write(map, Path.of("target/plots"), "left"); // kept to look at
        PngPixels png = PngPixels.read(files.getFirst());
        assertEquals(map.width(), png.width());
        assertTrue(png.width() > 300 && png.height() > 150, png.width() + "x" + png.height());
        assertTrue(png.distinctColours() > 30, "distinct colours " + png.distinctColours());
        double[] red = png.centroid(PngPixels::reddish);
        double[] blue = png.centroid(PngPixels::bluish);
        assertTrue(red[2] > 2000 && blue[2] > 2000, "red " + red[2] + " px, blue " + blue[2] + " px");
        assertTrue(red[0] + 100 < blue[0], "red centroid x " + red[0] + " should be well left of blue " + blue[0]);
    }

    @Test // row 0 is drawn at the top, as imshow does
    void firstRowIsAtTheTop(@TempDir Path dir) throws Exception {
        Tensor t = Tensor.of(new float[] {5, 5, 5, 0, 0, 0, -5, -5, -5}, 3, 3);
        PngPixels png = PngPixels.read(PlotFiles.png(Heatmap.of(t).build(), dir.resolve("rows.png")));
        assertTrue(png.centroid(PngPixels::reddish)[1] + 40 < png.centroid(PngPixels::bluish)[1],
                "red row should be above blue row");
    }

    @Test // NaN is grey in the cells and in the legend, not a colour of the scale
    void nanCellsAreGrey(@TempDir Path dir) throws Exception {
        Tensor t = Tensor.of(new float[] {1, Float.NaN, -1, 0.5f}, 2, 2);
        Path file = PlotFiles.png(Heatmap.of(t).build(), dir.resolve("nan.png"));
        int grey = ColorScale.NAN.getRGB() & 0xffffff;
        assertTrue(PngPixels.read(file).count(grey) > 500, "grey pixels " + PngPixels.read(file).count(grey));
        Path none = PlotFiles.png(Heatmap.of(Tensor.of(new float[] {1, 0, -1, 0.5f}, 2, 2)).build(),
                dir.resolve("none.png"));
        assertEquals(0, PngPixels.read(none).count(grey));
    }

    @Test
    void midpointZeroMakesTheRangeSymmetric() {
        Heatmap map = Heatmap.of(Tensor.of(new float[] {0.2f, -3f, 1f, Float.NaN}, 2, 2)).build();
        assertEquals(-3, map.range()[0], 1e-6);
        assertEquals(3, map.range()[1], 1e-6);
        Heatmap fixed = Heatmap.of(Tensor.of(new float[] {0.2f, -3f}, 1, 2)).range(-1, 1).build();
        assertEquals(1, fixed.range()[1], 0);
    }

    @Test
    void labelCountsAndShapesAreChecked() {
        Tensor t = Tensor.zeros(2, 13);
        var e = assertThrows(IllegalArgumentException.class, () -> Heatmap.of(t).x(Labels.range("", 12)));
        assertTrue(e.getMessage().contains("12 x labels for 13 columns (dim 1 of shape [2, 13])"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.of(t).y(List.of("a")));
        assertTrue(e.getMessage().contains("1 y labels for 2 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.of(Tensor.zeros(5, 2, 3))
                .facets(List.of("Output", "Query")));
        assertTrue(e.getMessage().contains("2 facet labels for 5 facets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.of(Tensor.zeros(2, 2, 2, 2)));
        assertTrue(e.getMessage().contains("got shape [2, 2, 2, 2]"), e.getMessage());
    }

    @Test // five facets side by side, as the seeds' "Output/Query/Key/Value/Pattern" patching plot
    void facetsSideBySide() throws Exception {
        Files.createDirectories(Path.of("target/plots"));
        Tensor t = Tensor.randn(1, 5, 12, 12);
        Heatmap one = Heatmap.of(t.select(0, 0)).build();
        Heatmap five = Heatmap.of(t).facets(List.of("Output", "Query", "Key", "Value", "Pattern"))
                .xTitle("Head").yTitle("Layer").build();
        assertTrue(five.width() > one.width() + 200, five.width() + " vs " + one.width()); // cells shrink to fit
        assertTrue(five.height() > one.height(), "room for the facet titles");
        PngPixels png = PngPixels.read(PlotFiles.png(five, Path.of("target/plots/facets.png")));
        assertTrue(png.distinctColours() > 100, "distinct colours " + png.distinctColours());
    }

    @Test // a plot folder that cannot be made names its path
    void unwritableFolderNamesThePath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        var e = assertThrows(java.io.UncheckedIOException.class,
                () -> PlotFiles.write(Heatmap.of(Tensor.zeros(1, 1)).build(), file.resolve("plots"), "m"));
        assertTrue(e.getMessage().contains(file.resolve("plots").toAbsolutePath().toString()), e.getMessage());
    }
}
