// A picture that lays itself out and draws onto a Canvas; PlotFiles turns it into PNG and HTML.
package dev.jlens.model.plot;

/** A plot of fixed pixel size that draws itself, identically, onto any {@link Canvas}. */
public interface Plot {
    /** The title, drawn at the top and used as the HTML page's title. */
    String title();

    /** Width in pixels. */
    int width();

    /** Height in pixels. */
    int height();

    /** Draws everything, hover texts included, onto {@code canvas}. */
    void draw(Canvas canvas);
}
