// px.line as the seeds use it: one or more series over x, hover names per point (e.g. the logit lens per layer).
package dev.jlens.model.plot;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' {@code line(tensor, x=..., hover_name=labels, title=...)}: values [n] (or [series, n]) against x
 * (default 0..n-1), points marked, hovering a point shows its hover name, x and y. NaN values leave a gap.
 */
public final class LinePlot extends FramedPlot {
    private static final double PLOT_W = 640;
    private static final double PLOT_H = 360;

    private final float[][] ys; // [series, n]
    private final double[] xs;  // [n]
    private final List<String> hover;
    private final List<String> names;
    private final Frame frame;
    private final Axis xAxis;
    private final Axis yAxis;

    private LinePlot(Builder b) {
        ys = b.ys;
        int n = ys[0].length;
        xs = b.xs != null ? b.xs : range(n);
        hover = b.hover;
        names = b.names;
        double[] yr = finiteRange(ys);
        double legend = names.isEmpty() ? 0 : TextMetrics.maxWidth(names, Frame.TICK) + 44;
        frame = Frame.of(b.title, b.xTitle, b.yTitle, PLOT_W, PLOT_H, Frame.yLabelWidth(yr[0], yr[1]), legend);
        xAxis = frame.xAxis(java.util.Arrays.stream(xs).min().orElseThrow(),
                java.util.Arrays.stream(xs).max().orElseThrow());
        yAxis = frame.yAxis(yr[0], yr[1]);
    }

    /** A line of {@code values}: [n] for one series, [series, n] for several. */
    public static Builder of(Tensor values) {
        return new Builder(values);
    }

    @Override
    Frame frame() {
        return frame;
    }

    @Override
    public void draw(Canvas c) {
        frame.draw(c, xAxis, yAxis);
        for (int s = 0; s < ys.length; s++) {
            Color color = Palette.of(s);
            List<double[]> segment = new ArrayList<>(); // runs of finite points, each {px, py}
            for (int i = 0; i <= xs.length; i++) {
                if (i < xs.length && Float.isFinite(ys[s][i])) {
                    segment.add(new double[] {xAxis.px(xs[i]), yAxis.px(ys[s][i])});
                } else if (!segment.isEmpty()) {
                    c.polyline(segment.stream().mapToDouble(p -> p[0]).toArray(),
                            segment.stream().mapToDouble(p -> p[1]).toArray(), color, 2);
                    segment.clear();
                }
            }
            for (int i = 0; i < xs.length; i++) {
                if (Float.isFinite(ys[s][i])) {
                    String name = (hover.isEmpty() ? "" : hover.get(i) + "\n")
                            + (names.isEmpty() ? "" : names.get(s) + "\n");
                    c.circle(xAxis.px(xs[i]), yAxis.px(ys[s][i]), 3.5, color,
                            name + "x: " + Fmt.value(xs[i]) + "\ny: " + Fmt.value(ys[s][i]));
                }
            }
        }
        double lx = frame.left() + frame.plotW() + 16;
        for (int s = 0; s < names.size(); s++) {
            double ly = frame.top() + 10 + 18 * s;
            c.line(lx, ly, lx + 20, ly, Palette.of(s), 2);
            c.text(lx + 26, ly + 4, names.get(s), Frame.TICK, Canvas.Anchor.START, false, false, Color.BLACK);
        }
    }

    private static double[] range(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    // {min, max} over finite values; {0, 0} when there are none
    static double[] finiteRange(float[][] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float[] row : values) {
            for (float v : row) {
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {0, 0};
    }

    /** Options of a line plot; x values, hover names and series names are checked against the tensor. */
    public static final class Builder {
        private final float[][] ys;
        private final int[] shape;
        private double[] xs;
        private List<String> hover = List.of();
        private List<String> names = List.of();
        private String title = "";
        private String xTitle = "";
        private String yTitle = "";

        private Builder(Tensor t) {
            if ((t.rank() != 1 && t.rank() != 2) || t.numel() == 0) {
                throw new IllegalArgumentException("line: expected non-empty values [n] or [series, n], got shape "
                        + Shape.str(t.shape()));
            }
            shape = t.shape();
            Tensor t2 = t.rank() == 1 ? t.unsqueeze(0) : t;
            float[] flat = t2.contiguous().toArray();
            ys = new float[t2.size(0)][t2.size(1)];
            for (int s = 0; s < ys.length; s++) {
                System.arraycopy(flat, s * ys[s].length, ys[s], 0, ys[s].length);
            }
        }

        /** The x value of each point (plotly's {@code x=}); default 0, 1, ... */
        public Builder x(double[] values) {
            if (values.length != ys[0].length) {
                throw new IllegalArgumentException("line: " + values.length + " x values for " + ys[0].length
                        + " points (shape " + Shape.str(shape) + ")");
            }
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("line: x values must be finite, got " + v);
                }
            }
            xs = values.clone();
            return this;
        }

        /** A name per point, shown on hover ({@code hover_name=}). */
        public Builder hover(List<String> labels) {
            if (labels.size() != ys[0].length) {
                throw new IllegalArgumentException("line: " + labels.size() + " hover names for " + ys[0].length
                        + " points (shape " + Shape.str(shape) + ")");
            }
            hover = List.copyOf(labels);
            return this;
        }

        /** A name per series, shown in a legend. */
        public Builder series(List<String> labels) {
            if (labels.size() != ys.length) {
                throw new IllegalArgumentException("line: " + labels.size() + " series names for " + ys.length
                        + " series (shape " + Shape.str(shape) + ")");
            }
            names = List.copyOf(labels);
            return this;
        }

        /** The title. */
        public Builder title(String text) {
            title = text;
            return this;
        }

        /** The x axis title. */
        public Builder xTitle(String text) {
            xTitle = text;
            return this;
        }

        /** The y axis title. */
        public Builder yTitle(String text) {
            yTitle = text;
            return this;
        }

        /** The plot. */
        public LinePlot build() {
            return new LinePlot(this);
        }
    }
}
