// Writes a plot as SVG markup; shapes with a hover text carry it in a data-tip attribute that HtmlPage shows.
package dev.jlens.model.plot;

import java.awt.Color;

/** A {@link Canvas} that appends SVG elements; {@link #svg()} returns the whole {@code <svg>} element. */
final class SvgCanvas implements Canvas {
    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder(1 << 16);

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** The {@code <svg>} element, white background, with everything drawn so far. */
    String svg() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jlens-plot\" width=\"" + width + "\" height=\""
                + height + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"DejaVu Sans, sans-serif\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>" + body + "</svg>";
    }

    @Override
    public void rect(double x, double y, double w, double h, Color fill, String tip) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(hex(fill)).append('"');
        tip(tip);
        body.append("/>");
    }

    @Override
    public void outline(double x, double y, double w, double h, Color stroke) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"none\" stroke=\"").append(hex(stroke))
                .append("\"/>");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color stroke, double width) {
        body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(hex(stroke))
                .append("\" stroke-width=\"").append(n(width)).append("\"/>");
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color stroke, double width) {
        body.append("<polyline fill=\"none\" stroke-linejoin=\"round\" stroke=\"").append(hex(stroke))
                .append("\" stroke-width=\"").append(n(width)).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) {
            body.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        body.append("\"/>");
    }

    @Override
    public void circle(double cx, double cy, double r, Color fill, String tip) {
        body.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(hex(fill)).append('"');
        tip(tip);
        body.append("/>");
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, boolean vertical, boolean bold,
            Color color) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"")
                .append(n(size)).append('"');
        if (anchor != Anchor.START) {
            body.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
        }
        if (vertical) {
            body.append(" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\"");
        }
        if (bold) {
            body.append(" font-weight=\"bold\"");
        }
        if (!color.equals(Color.BLACK)) {
            body.append(" fill=\"").append(hex(color)).append('"');
        }
        body.append(">").append(Html.escape(text)).append("</text>");
    }

    private void tip(String tip) {
        if (tip != null) {
            body.append(" data-tip=\"").append(Html.escape(tip)).append('"');
        }
    }

    // a coordinate rounded to 0.01 px, without trailing zeros
    private static String n(double v) {
        long hundredths = Math.round(v * 100);
        if (hundredths % 100 == 0) {
            return Long.toString(hundredths / 100);
        }
        return java.math.BigDecimal.valueOf(hundredths, 2).stripTrailingZeros().toPlainString();
    }

    private static String hex(Color c) {
        return String.format("#%06x", c.getRGB() & 0xffffff);
    }
}
