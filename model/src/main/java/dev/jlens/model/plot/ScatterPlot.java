// px.scatter as the seeds use it: e.g. output patching vs value patching per head, coloured by layer.
package dev.jlens.model.plot;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.awt.Color;
import java.util.List;

/**
 * The seeds' {@code scatter(x=..., y=..., xaxis=..., yaxis=..., caxis="Layer", hover_name=head_labels,
 * color=layer_of_each_point, range_x=..., range_y=..., title=...)}: one point per entry of x and y (any shapes with
 * the same number of elements, read flat), optionally coloured on Viridis with a colour bar. Hovering a point
 * shows its hover name, x, y and colour value. Points with a NaN coordinate are left out.
 */
public final class ScatterPlot extends FramedPlot {
    private static final double PLOT_W = 520;
    private static final double PLOT_H = 420;

    private final float[] xs;
    private final float[] ys;
    private final float[] colors; // null: one colour
    private final List<String> hover;
    private final String colorTitle;
    private final ColorBar bar;
    private final Frame frame;
    private final Axis xAxis;
    private final Axis yAxis;

    private ScatterPlot(Builder b) {
        xs = b.xs;
        ys = b.ys;
        colors = b.colors;
        hover = b.hover;
        colorTitle = b.colorTitle;
        double[] cr = colors == null ? null : LinePlot.finiteRange(new float[][] {colors});
        bar = colors == null ? null : new ColorBar(ColorScale.VIRIDIS, cr[0], cr[1] > cr[0] ? cr[1] : cr[0] + 1,
                colorTitle, false);
        double[] yr = b.rangeY != null ? b.rangeY : LinePlot.finiteRange(new float[][] {ys});
        double[] xr = b.rangeX != null ? b.rangeX : LinePlot.finiteRange(new float[][] {xs});
        frame = Frame.of(b.title, b.xTitle, b.yTitle, PLOT_W, PLOT_H, Frame.yLabelWidth(yr[0], yr[1]),
                bar == null ? 0 : bar.width() + 24);
        xAxis = b.rangeX != null ? new Axis(xr[0], xr[1], frame.left(), frame.left() + PLOT_W)
                : frame.xAxis(xr[0], xr[1]);
        yAxis = b.rangeY != null ? new Axis(yr[0], yr[1], frame.top() + PLOT_H, frame.top())
                : frame.yAxis(yr[0], yr[1]);
    }

    /** A scatter of {@code y} against {@code x}, which must have the same number of elements. */
    public static Builder of(Tensor x, Tensor y) {
        return new Builder(x, y);
    }

    @Override
    Frame frame() {
        return frame;
    }

    @Override
    public void draw(Canvas c) {
        frame.draw(c, xAxis, yAxis);
        for (int i = 0; i < xs.length; i++) {
            double px = xAxis.px(xs[i]);
            double py = yAxis.px(ys[i]);
            boolean inside = px >= frame.left() - 1 && px <= frame.left() + PLOT_W + 1 && py >= frame.top() - 1
                    && py <= frame.top() + PLOT_H + 1;
            if (Float.isNaN(xs[i]) || Float.isNaN(ys[i]) || !inside) {
                continue; // NaN, or outside range_x / range_y as plotly clips it
            }
            Color fill = colors == null ? Palette.of(0) : bar.scale().at(colors[i], bar.lo(), bar.hi());
            String tip = (hover.isEmpty() ? "" : hover.get(i) + "\n")
                    + (frame.xTitle().isEmpty() ? "x" : frame.xTitle()) + ": " + Fmt.value(xs[i]) + "\n"
                    + (frame.yTitle().isEmpty() ? "y" : frame.yTitle()) + ": " + Fmt.value(ys[i])
                    + (colors == null ? "" : "\n" + (colorTitle.isEmpty() ? "color" : colorTitle) + ": "
                            + Fmt.value(colors[i]));
            c.circle(px, py, 5, fill, tip);
        }
        if (bar != null) {
            bar.draw(c, frame.left() + PLOT_W + 24, frame.top(), Math.min(PLOT_H, 300));
        }
    }

    /** Options of a scatter plot; hover names and colours are checked against the number of points. */
    public static final class Builder {
        private final float[] xs;
        private final float[] ys;
        private float[] colors;
        private List<String> hover = List.of();
        private String title = "";
        private String xTitle = "";
        private String yTitle = "";
        private String colorTitle = "";
        private double[] rangeX;
        private double[] rangeY;

        private Builder(Tensor x, Tensor y) {
            if (x.numel() != y.numel() || x.numel() == 0) {
                throw new IllegalArgumentException("scatter: x " + Shape.str(x.shape()) + " and y "
                        + Shape.str(y.shape()) + " must have the same, non-zero number of elements");
            }
            xs = x.contiguous().toArray().clone();
            ys = y.contiguous().toArray().clone();
        }

        /** A name per point, shown on hover ({@code hover_name=}). */
        public Builder hover(List<String> labels) {
            if (labels.size() != xs.length) {
                throw new IllegalArgumentException("scatter: " + labels.size() + " hover names for " + xs.length
                        + " points");
            }
            hover = List.copyOf(labels);
            return this;
        }

        /** A colour value per point ({@code color=}) on Viridis, with a colour bar titled {@code caxis}. */
        public Builder color(Tensor values, String caxis) {
            if (values.numel() != xs.length) {
                throw new IllegalArgumentException("scatter: " + values.numel() + " colour values ("
                        + Shape.str(values.shape()) + ") for " + xs.length + " points");
            }
            colors = values.contiguous().toArray().clone();
            colorTitle = caxis;
            return this;
        }

        /** The title. */
        public Builder title(String text) {
            title = text;
            return this;
        }

        /** The x axis title ({@code xaxis=}). */
        public Builder xTitle(String text) {
            xTitle = text;
            return this;
        }

        /** The y axis title ({@code yaxis=}). */
        public Builder yTitle(String text) {
            yTitle = text;
            return this;
        }

        /** A fixed x range ({@code range_x=}); points outside are not drawn. */
        public Builder rangeX(double lo, double hi) {
            rangeX = checkRange("range_x", lo, hi);
            return this;
        }

        /** A fixed y range ({@code range_y=}); points outside are not drawn. */
        public Builder rangeY(double lo, double hi) {
            rangeY = checkRange("range_y", lo, hi);
            return this;
        }

        /** The plot. */
        public ScatterPlot build() {
            return new ScatterPlot(this);
        }

        private static double[] checkRange(String what, double lo, double hi) {
            if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("scatter: " + what + " needs finite lo < hi, got [" + lo + ", "
                        + hi + "]");
            }
            return new double[] {lo, hi};
        }
    }
}
