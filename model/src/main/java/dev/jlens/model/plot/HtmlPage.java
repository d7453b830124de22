// A self-contained HTML page around plots' SVG: inline style and a few lines of script for hover tooltips.
package dev.jlens.model.plot;

import java.util.List;

/**
 * One HTML file with no external resources (no network, no CDN): the plots as inline SVG, and a script that shows
 * the {@code data-tip} text of the shape under the mouse in a tooltip ({@code #jlens-tip}).
 */
final class HtmlPage {
    private static final String STYLE = """
            body{font-family:"DejaVu Sans",sans-serif;margin:16px;background:#fff;color:#000}
            svg.jlens-plot{display:block;margin-bottom:16px}
            svg.jlens-plot text{white-space:pre;pointer-events:none}
            [data-tip]:hover{stroke:#000;stroke-width:1.5}
            #jlens-tip{position:absolute;display:none;pointer-events:none;white-space:pre;background:#fffff0;
            border:1px solid #444;padding:3px 6px;font-size:13px;box-shadow:1px 1px 3px #888}
            """;
    private static final String SCRIPT = """
            (function () {
              var tip = document.getElementById('jlens-tip');
              document.addEventListener('mousemove', function (e) {
                var shape = e.target.closest ? e.target.closest('[data-tip]') : null;
                if (!shape) { tip.style.display = 'none'; return; }
                tip.textContent = shape.getAttribute('data-tip');
                tip.style.display = 'block';
                tip.style.left = (e.pageX + 14) + 'px';
                tip.style.top = (e.pageY + 14) + 'px';
              });
            })();
            """;

    private HtmlPage() {}

    /** The page for {@code plots}, titled {@code title}, one SVG per plot from top to bottom. */
    public static String of(String title, List<? extends Plot> plots) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n")
                .append("<body>\n");
        for (Plot p : plots) {
            SvgCanvas canvas = new SvgCanvas(p.width(), p.height());
            p.draw(canvas);
            b.append(canvas.svg()).append('\n');
        }
        b.append("<div id=\"jlens-tip\" role=\"tooltip\"></div>\n<script>\n").append(SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return b.toString();
    }
}
