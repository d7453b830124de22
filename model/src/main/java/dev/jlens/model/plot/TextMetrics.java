// Text widths for layout, from the same sans-serif font the PNG is painted with (the SVG asks for sans-serif too).
package dev.jlens.model.plot;

import java.awt.Font;
import java.awt.font.FontRenderContext;

/** Widths of labels in pixels, so that layouts leave room for the longest one. */
final class TextMetrics {
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    private TextMetrics() {}

    /** The font plots use at {@code size} px. */
    static Font font(double size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
    }

    /** The advance width of {@code text} at {@code size} px. */
    static double width(String text, double size) {
        return font(size, false).getStringBounds(text, FRC).getWidth();
    }

    /** The widest of {@code texts} at {@code size} px (0 for none). */
    static double maxWidth(Iterable<String> texts, double size) {
        double w = 0;
        for (String t : texts) {
            w = Math.max(w, width(t, size));
        }
        return w;
    }
}
