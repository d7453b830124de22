// The colour bar beside a heatmap or attention view: the scale over its range, round ticks, a title, NaN's colour.
package dev.jlens.model.plot;

import java.awt.Color;

/** A vertical colour bar for values in [lo, hi], ticks at round values; with {@code nanLegend} a grey swatch says "NaN" below it. */
record ColorBar(ColorScale scale, double lo, double hi, String title, boolean nanLegend) {
    static final double BAR_W = 16;
    static final double TICK_SIZE = 11;
    private static final int STEPS = 96;

    /** Width of bar, tick labels and title. */
    double width() {
        double ticks = 0;
        for (double v : ticks(0, 1).ticks()) {
            ticks = Math.max(ticks, TextMetrics.width(Fmt.tick(v), TICK_SIZE));
        }
        return BAR_W + 6 + ticks + (title == null || title.isEmpty() ? 0 : 26);
    }

    /** Height needed below the bar (for the NaN swatch). */
    double footer() {
        return nanLegend ? 26 : 0;
    }

    // the value axis along the bar, from pixel {@code bottom} (lo) up to {@code top} (hi)
    private Axis ticks(double bottom, double top) {
        return new Axis(lo, hi, bottom, top);
    }

    /** Draws the bar with its top left at (x, y), {@code height} tall (high values at the top). */
    void draw(Canvas c, double x, double y, double height) {
        double step = height / STEPS;
        for (int i = 0; i < STEPS; i++) {
            double t = (i + 0.5) / STEPS;
            c.rect(x, y + height - (i + 1) * step, BAR_W, step + 0.5, scale.at(t), null);
        }
        c.outline(x, y, BAR_W, height, Color.GRAY);
        Axis axis = ticks(y + height, y);
        for (double v : axis.ticks()) {
            double ty = axis.px(v);
            c.line(x + BAR_W, ty, x + BAR_W + 3, ty, Color.DARK_GRAY, 1);
            c.text(x + BAR_W + 5, ty + 4, Fmt.tick(v), TICK_SIZE, Canvas.Anchor.START, false, false, Color.BLACK);
        }
        if (title != null && !title.isEmpty()) {
            c.text(x + width() - 4, y + height / 2, title, 12, Canvas.Anchor.MIDDLE, true, false, Color.BLACK);
        }
        if (nanLegend) {
            c.rect(x, y + height + 10, BAR_W, 12, ColorScale.NAN, "NaN: no value");
            c.text(x + BAR_W + 5, y + height + 20, "NaN", TICK_SIZE, Canvas.Anchor.START, false, false, Color.BLACK);
        }
    }
}
