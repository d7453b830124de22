// Line, scatter and bar PNGs: the marks land where their values say, and bad input is refused with both counts.
package dev.jlens.model.plot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPngTest {
    private static final int SERIES_0 = 0x636efa; // plotly's first trace colour

    private static boolean series0(int rgb) {
        return rgb == SERIES_0;
    }

    @Test // catches an upside-down y axis or a line drawn right to left
    void risingLineGoesUpToTheRight(@TempDir Path dir) throws Exception {
        Tensor y = Tensor.of(new float[] {-2, -1, 0, 1, 2, 3, 4}, 7);
        LinePlot plot = LinePlot.of(y).title("rising").xTitle("layer").yTitle("logit diff")
                .hover(Labels.range("L", 7)).build();
        PngPixels png = PngPixels.read(PlotFiles.png(plot, dir.resolve("line.png")));
        int w = png.width();
        double leftY = 0;
        double rightY = 0;
        int nl = 0;
        int nr = 0;
        for (int py = 0; py < png.height(); py++) {
            for (int px = 0; px < w; px++) {
                if (series0(png.image().getRGB(px, py) & 0xffffff)) {
                    if (px < w / 2) {
                        leftY += py;
                        nl++;
                    } else {
                        rightY += py;
                        nr++;
                    }
                }
            }
        }
        assertTrue(nl > 50 && nr > 50, "line pixels left " + nl + ", right " + nr);
        assertTrue(leftY / nl > rightY / nr + 50, "left part should be lower on the image: " + leftY / nl + " vs "
                + rightY / nr);
    }

    @Test // colour by value: the highest colour value (yellow on Viridis) is drawn at the top right point
    void scatterColoursPointsOnViridis(@TempDir Path dir) throws Exception {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3}, 4);
        ScatterPlot plot = ScatterPlot.of(x, x).color(x, "Layer").hover(List.of("a", "b", "c", "d"))
                .xTitle("Value Patch").yTitle("Output Patch").title("scatter").build();
        PngPixels png = PngPixels.read(PlotFiles.png(plot, dir.resolve("scatter.png")));
        // yellow: Viridis' top end 0xfde725 and its neighbours
        double[] yellow = png.centroid(rgb -> (rgb >> 16 & 0xff) > 200 && (rgb >> 8 & 0xff) > 180 && (rgb & 0xff) < 90);
        double[] purple = png.centroid(rgb -> (rgb >> 16 & 0xff) > 50 && (rgb >> 16 & 0xff) < 90
                && (rgb >> 8 & 0xff) < 40 && (rgb & 0xff) > 60 && (rgb & 0xff) < 110);
        assertTrue(yellow[2] > 40 && purple[2] > 40, "yellow " + yellow[2] + " px, purple " + purple[2] + " px");
        // the colour bar is on the right too, so compare the points' heights: yellow high, purple low
        assertTrue(yellow[1] < purple[1], "yellow y " + yellow[1] + " purple y " + purple[1]);
    }

    @Test // the first category is the top bar and the longest value the longest bar
    void barsAreAsLongAsTheirValues(@TempDir Path dir) throws Exception {
        BarChart chart = BarChart.of(List.of(" Mary", " John", " the"), new double[] {0.7, 0.2, 0.05},
                "top tokens", "probability");
        PngPixels png = PngPixels.read(PlotFiles.png(chart, dir.resolve("bars.png")));
        int[] lengths = new int[3];
        int row = 0;
        int last = -2;
        for (int py = 0; py < png.height() && row < 3; py++) {
            int n = 0;
            for (int px = 0; px < png.width(); px++) {
                n += series0(png.image().getRGB(px, py) & 0xffffff) ? 1 : 0;
            }
            if (n > 0 && last != py - 1 && py > 0 && lengths[row] > 0) {
                row++;
            }
            if (n > 0 && row < 3) {
                lengths[row] = Math.max(lengths[row], n);
                last = py;
            }
        }
        assertTrue(lengths[0] > 2 * lengths[1] && lengths[1] > 2 * lengths[2] && lengths[2] > 0,
                java.util.Arrays.toString(lengths));
    }

    @Test
    void countsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> LinePlot.of(Tensor.zeros(5)).hover(List.of("a")));
        assertTrue(e.getMessage().contains("1 hover names for 5 points"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScatterPlot.of(Tensor.zeros(3), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("x [3] and y [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BarChart.of(List.of("a"), new double[] {Double.NaN},
                "t", "v"));
        assertTrue(e.getMessage().contains("value 0 (a) is NaN"), e.getMessage());
    }
}
