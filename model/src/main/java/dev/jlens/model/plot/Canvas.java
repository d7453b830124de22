// What a plot draws with: rectangles, lines, circles and text in pixels, each optionally with a hover text.
package dev.jlens.model.plot;

import java.awt.Color;

/**
 * A drawing surface in pixels, origin at the top left, y down. Plots draw once onto a canvas; {@link PngCanvas}
 * paints the PNG and {@link SvgCanvas} writes the HTML page's SVG, where a non-null {@code tip} becomes the text
 * shown when the mouse is over the shape.
 */
public interface Canvas {
    /** Where text sits relative to its anchor point, along its baseline. */
    enum Anchor {
        /** The text starts at the anchor. */
        START,
        /** The text is centred on the anchor. */
        MIDDLE,
        /** The text ends at the anchor. */
        END
    }

    /** A filled rectangle; {@code tip} may be null. */
    void rect(double x, double y, double w, double h, Color fill, String tip);

    /** A rectangle's outline. */
    void outline(double x, double y, double w, double h, Color stroke);

    /** A straight line. */
    void line(double x1, double y1, double x2, double y2, Color stroke, double width);

    /** A line through the points (xs[i], ys[i]). */
    void polyline(double[] xs, double[] ys, Color stroke, double width);

    /** A filled circle; {@code tip} may be null. */
    void circle(double cx, double cy, double r, Color fill, String tip);

    /**
     * One line of text with its baseline through (x, y); {@code vertical} turns it 90 degrees counter-clockwise
     * about (x, y), so that it reads upwards.
     */
    void text(double x, double y, String text, double size, Anchor anchor, boolean vertical, boolean bold,
            Color color);
}
