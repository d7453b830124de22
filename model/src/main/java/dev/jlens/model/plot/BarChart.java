// Horizontal bars, one per category from the top down: e.g. the top-k next-token probabilities of a prompt.
package dev.jlens.model.plot;

import java.awt.Color;
import java.util.List;

/**
 * px.bar with {@code orientation="h"}: one bar per category (labels on the left, first at the top), lengths from
 * zero on a linear value axis; hovering a bar shows its category and value. Values must be finite.
 */
public final class BarChart extends FramedPlot {
    private static final double PLOT_W = 480;
    private static final double BAR_H = 22;

    private final List<String> categories;
    private final double[] values;
    private final Frame frame;
    private final Axis axis;
    private final double labelW;

    private BarChart(List<String> categories, double[] values, String title, String valueTitle) {
        this.categories = categories;
        this.values = values;
        labelW = TextMetrics.maxWidth(categories, Frame.TICK);
        frame = Frame.of(title, valueTitle, "", PLOT_W, BAR_H * values.length + 8, labelW, 16);
        double lo = 0;
        double hi = 0;
        for (double v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        axis = frame.xAxis(lo, hi == lo ? lo + 1 : hi);
    }

    /** Bars of {@code values}, one per entry of {@code categories}, titled; {@code valueTitle} names the axis. */
    public static BarChart of(List<String> categories, double[] values, String title, String valueTitle) {
        if (categories.size() != values.length || values.length == 0) {
            throw new IllegalArgumentException("bar chart: " + categories.size() + " categories for "
                    + values.length + " values; need the same, non-zero number");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("bar chart: value " + i + " (" + categories.get(i)
                        + ") is " + values[i] + "; bars need finite values");
            }
        }
        return new BarChart(List.copyOf(categories), values.clone(), title, valueTitle);
    }

    @Override
    Frame frame() {
        return frame;
    }

    @Override
    public void draw(Canvas c) {
        frame.draw(c, axis, null);
        double zero = axis.px(0);
        for (int i = 0; i < values.length; i++) {
            double y = frame.top() + 4 + i * BAR_H;
            double end = axis.px(values[i]);
            String tip = categories.get(i) + "\n" + (frame.xTitle().isEmpty() ? "value" : frame.xTitle()) + ": "
                    + Fmt.value(values[i]);
            c.rect(Math.min(zero, end), y + 3, Math.abs(end - zero), BAR_H - 6, Palette.of(0), tip);
            c.text(frame.left() - 6, y + BAR_H / 2 + Frame.TICK / 3, categories.get(i), Frame.TICK,
                    Canvas.Anchor.END, false, false, Color.BLACK);
        }
    }
}
