// The frame shared by line, scatter and bar charts: title, plot area, grid, ticks, axis titles.
package dev.jlens.model.plot;

import java.awt.Color;

/**
 * The layout of a chart with two linear axes: a title on top, the y axis title and tick labels on the left, the x
 * tick labels and title below, and {@code rightBand} pixels on the right for a legend or colour bar.
 */
record Frame(String title, String xTitle, String yTitle, double left, double top, double plotW, double plotH,
        int width, int height) {
    static final double PAD = 12;
    static final double TICK = 11;
    private static final Color GRID = new Color(0xe5e5e5);

    /** A frame whose plot area is {@code plotW} x {@code plotH}, y tick labels up to {@code yLabelW} wide. */
    static Frame of(String title, String xTitle, String yTitle, double plotW, double plotH, double yLabelW,
            double rightBand) {
        double left = PAD + (yTitle.isEmpty() ? 0 : 22) + yLabelW + 8;
        double top = PAD + (title.isEmpty() ? 6 : 34);
        int width = (int) Math.ceil(Math.max(left + plotW + rightBand + PAD,
                2 * PAD + TextMetrics.width(title, 16) * 1.1));
        int height = (int) Math.ceil(top + plotH + TICK + 10 + (xTitle.isEmpty() ? 0 : 22) + PAD);
        return new Frame(title, xTitle, yTitle, left, top, plotW, plotH, width, height);
    }

    /** The x axis over data [min, max] (padded). */
    Axis xAxis(double min, double max) {
        return Axis.padded(min, max, left, left + plotW);
    }

    /** The y axis over data [min, max] (padded), upwards. */
    Axis yAxis(double min, double max) {
        return Axis.padded(min, max, top + plotH, top);
    }

    /** Title, axis titles, the plot area's border, and grid lines with labels at the ticks of the axes given. */
    void draw(Canvas c, Axis x, Axis y) {
        if (!title.isEmpty()) {
            c.text(PAD, PAD + 18, title, 16, Canvas.Anchor.START, false, true, Color.BLACK);
        }
        if (x != null) {
            for (double v : x.ticks()) {
                double px = x.px(v);
                c.line(px, top, px, top + plotH, v == 0 ? Color.GRAY : GRID, 1);
                c.text(px, top + plotH + TICK + 4, Fmt.tick(v), TICK, Canvas.Anchor.MIDDLE, false, false, Color.BLACK);
            }
        }
        if (y != null) {
            for (double v : y.ticks()) {
                double py = y.px(v);
                c.line(left, py, left + plotW, py, v == 0 ? Color.GRAY : GRID, 1);
                c.text(left - 6, py + TICK / 3, Fmt.tick(v), TICK, Canvas.Anchor.END, false, false, Color.BLACK);
            }
        }
        c.outline(left, top, plotW, plotH, Color.GRAY);
        if (!xTitle.isEmpty()) {
            c.text(left + plotW / 2, top + plotH + TICK + 28, xTitle, 12, Canvas.Anchor.MIDDLE, false, false,
                    Color.BLACK);
        }
        if (!yTitle.isEmpty()) {
            c.text(PAD + 14, top + plotH / 2, yTitle, 12, Canvas.Anchor.MIDDLE, true, false, Color.BLACK);
        }
    }

    /** The widest y tick label of an axis over [min, max]. */
    static double yLabelWidth(double min, double max) {
        double w = 0;
        for (double v : Axis.padded(min, max, 0, 1).ticks()) {
            w = Math.max(w, TextMetrics.width(Fmt.tick(v), TICK));
        }
        return w;
    }
}
