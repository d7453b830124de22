// Self-contained HTML dashboards of the top activations: an index and one page per shown feature (Neuroscope-like).
package dev.jlens.model.jobs;

import dev.jlens.model.jobs.TopActivations.Mined;
import dev.jlens.model.jobs.TopOutputs.Window;
import dev.jlens.model.plot.Html;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code index.html} lists the shown features with their statistics and links to {@code feature-S-F.html} (S the
 * source's number, F the feature), which shows the statistics, the histogram and the top contexts' token windows,
 * each token shaded by the feature's activation there (orange, full at the feature's max; hover for the value).
 * No script, no external resource.
 */
final class Dashboards {
    private static final String STYLE = """
            body{font-family:"DejaVu Sans",sans-serif;margin:16px;color:#000;background:#fff}
            table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}
            .ctx{font-family:"DejaVu Sans Mono",monospace;white-space:pre;text-align:left}
            .tok{border-radius:2px}.tok.top{outline:2px solid #000}
            .hist{display:flex;align-items:flex-end;height:80px;gap:1px}.hist div{width:10px;background:#4a7ab5}
            """;

    /**
     * A feature with a page.
     *
     * @param source  the source's number
     * @param feature the feature
     * @param max     its largest activation
     */
    record Feature(int source, int feature, float max) {
        String file() {
            return "feature-" + source + "-" + feature + ".html";
        }
    }

    private Dashboards() {}

    static void write(Path dir, List<Mined> mined, TopK.Entry[][][] entries, Window[][][] windows,
            List<Feature> shown, Map<Feature, Map<Integer, float[]>> acts, Gpt2Tokenizer tok) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("index.html"), index(mined, shown));
            for (Feature d : shown) {
                Files.writeString(dir.resolve(d.file()), page(mined.get(d.source()), d,
                        entries[d.source()][d.feature()], windows[d.source()][d.feature()], acts.get(d), tok));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dashboards in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Html.escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>" + Html.escape(title) + "</h1>\n";
    }

    private static String index(List<Mined> mined, List<Feature> shown) {
        StringBuilder b = new StringBuilder(head("Top activations"));
        b.append("<table id=\"features\">\n<tr><th>hook</th><th>feature</th><th>max</th><th>mean</th>"
                + "<th>frac_active</th></tr>\n");
        for (Feature d : shown) {
            FeatureStats st = mined.get(d.source()).stats();
            b.append("<tr><td class=\"ctx\"><a href=\"").append(d.file()).append("\">")
                    .append(Html.escape(mined.get(d.source()).label())).append("</a></td><td>").append(d.feature())
                    .append("</td><td>").append(num(st.max(d.feature()))).append("</td><td>")
                    .append(num(st.mean(d.feature()))).append("</td><td>").append(num(st.fracActive(d.feature())))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body>\n</html>\n").toString();
    }

    private static String page(Mined m, Feature d, TopK.Entry[] top, Window[] windows, Map<Integer, float[]> acts,
            Gpt2Tokenizer tok) {
        int f = d.feature();
        FeatureStats st = m.stats();
        StringBuilder b = new StringBuilder(head(m.label() + " feature " + f));
        b.append("<p><a href=\"index.html\">all features</a></p>\n<p id=\"stats\">max ").append(num(st.max(f)))
                .append(", mean ").append(num(st.mean(f))).append(", frac_active ").append(num(st.fracActive(f)))
                .append(", over ").append(st.count()).append(" positions</p>\n<div class=\"hist\" id=\"histogram\">");
        long[] h = st.histogram(f);
        long most = java.util.Arrays.stream(h).max().orElse(1);
        for (int i = 0; i < h.length; i++) {
            b.append("<div style=\"height:").append(Math.max(1, 80 * h[i] / Math.max(1, most))).append("px\" title=\"")
                    .append(Html.escape(binName(i) + ": " + h[i])).append("\"></div>");
        }
        b.append("</div>\n<table id=\"top\">\n<tr><th>value</th><th>context</th><th>pos</th>"
                + "<th class=\"ctx\">tokens</th></tr>\n");
        float scale = Math.max(Math.abs(d.max()), 1e-12f);
        for (int r = 0; r < top.length; r++) {
            TopK.Entry e = top[r];
            float[] a = acts.get(e.context());
            b.append("<tr><td>").append(num(e.value())).append("</td><td>").append(e.context()).append("</td><td>")
                    .append(e.pos()).append("</td><td class=\"ctx\">");
            int[] ids = windows[r].ids();
            for (int i = 0; i < ids.length; i++) {
                int p = windows[r].start() + i;
                float v = a[p];
                double alpha = Math.clamp(v / scale, 0, 1);
                b.append("<span class=\"tok").append(p == e.pos() ? " top" : "").append("\" data-act=\"").append(v)
                        .append("\" style=\"background:rgba(255,140,0,").append(String.format(Locale.ROOT, "%.3f",
                                alpha)).append(")\" title=\"").append(Html.escape(tok.tokenString(ids[i]) + ": "
                                + num(v))).append("\">").append(Html.escape(visible(tok.tokenString(ids[i]))))
                        .append("</span>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</table>\n</body>\n</html>\n").toString();
    }

    /** A token as shown: a newline becomes the return symbol so the row stays on one line. */
    private static String visible(String token) {
        return token.replace("\n", "\u21b5").replace("\r", "");
    }

    private static String binName(int bin) {
        if (bin == FeatureStats.ZERO_BIN) {
            return "|v| < " + FeatureStats.binEdge(0);
        }
        int e = Math.abs(bin - FeatureStats.ZERO_BIN) - 1;
        String sign = bin > FeatureStats.ZERO_BIN ? "" : "-";
        return e == 15 ? sign + "|v| >= " + FeatureStats.binEdge(15)
                : sign + "[" + FeatureStats.binEdge(e) + ", " + FeatureStats.binEdge(e + 1) + ")";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
