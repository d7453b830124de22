// The HTML plots in a real headless Chromium: they render with no errors or requests, and hovering shows values.
package dev.jlens.model.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.browser.Chromium;
import dev.jlens.model.browser.Page;
import dev.jlens.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opens each kind of plot page in the shared headless Chromium ({@link Chromium}), checks that it loads with no
 * console error, exception or network request, that its SVG holds one hover shape per value, that moving the mouse
 * over a known shape shows the expected tooltip (and moving off hides it), that hostile tokens stay text, and saves
 * a screenshot under target/browser/.
 */
class PlotsInBrowserTest {
    private static final Path OUT = Path.of("target/browser");
    // tokens that break naive HTML/JS: markup, an entity, quotes, a newline, a script end tag
    private static final List<String> TOKENS = List.of("<|endoftext|>", " <img src=x onerror=\"window.pwned=1\">",
            " &amp;", "\n", " \"quoted\"", "'", "</script><script>window.pwned=2</script>", " b");

    private static Page open(Plot plot, String name) throws Exception {
        Chromium browser = Chromium.shared();
        Path html = PlotFiles.html(plot, PlotFiles.folder(OUT).resolve(name + ".html"));
        return browser.open(html);
    }

    /** Hovers the index-th element matching {@code selector}; returns the tooltip's text, or null when hidden. */
    private static String hover(Page page, String selector, int index) {
        @SuppressWarnings("unchecked")
        List<Number> centre = (List<Number>) page.eval("(() => { const e = document.querySelectorAll('" + selector
                + "')[" + index + "]; e.scrollIntoView({block: 'center', inline: 'center'}); "
                + "const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        page.mouseMove(centre.get(0).doubleValue(), centre.get(1).doubleValue());
        return tooltip(page);
    }

    private static String tooltip(Page page) {
        return (String) page.eval("(() => { const t = document.getElementById('jlens-tip'); "
                + "return getComputedStyle(t).display === 'none' ? null : t.textContent; })()");
    }

    private static void rendersCleanly(Page page, String name, int tips) throws Exception {
        assertEquals(List.of(), page.errors(), "console errors or exceptions on " + name);
        assertEquals(List.of(), page.otherRequests(), "a self-contained page requests nothing");
        assertEquals(1, ((Number) page.eval("document.querySelectorAll('svg.jlens-plot').length")).intValue());
        assertEquals(tips, ((Number) page.eval("document.querySelectorAll('[data-tip]').length")).intValue(),
                "hover shapes on " + name);
        assertEquals(1, ((Number) page.eval("document.scripts.length")).intValue(), "only our own script");
        assertEquals(null, page.eval("window.pwned === undefined ? null : window.pwned"), "a token ran as code");
        Path shot = page.screenshot(OUT.resolve(name + ".png"));
        PngPixels png = PngPixels.read(shot);
        assertTrue(png.width() >= 300 && png.height() >= 150 && png.distinctColours() > 20,
                name + " screenshot " + png.width() + "x" + png.height() + ", " + png.distinctColours() + " colours");
    }

    @Test // catches broken escaping, a dead tooltip script, a tooltip showing the wrong cell, or a flipped scale
    void heatmapHoverShowsTheCellAndTokensStayText() throws Exception {
        String title = "Logit <b>diff</b> & \"quotes\"";
        Heatmap map = Heatmap.of(HeatmapPngTest.leftPositive()).x(Labels.positions(TOKENS)).xTitle("Position")
                .yTitle("Layer").title(title).build();
        try (Page page = open(map, "heatmap")) {
            rendersCleanly(page, "heatmap", 24);
            assertEquals(title, page.eval("document.title"));
            String labels = (String) page.eval("[...document.querySelectorAll('text')].map(t => t.textContent)"
                    + ".join('|')");
            assertTrue(labels.contains("|<|endoftext|>_0|") && labels.contains("|</script><script>window.pwned=2"
                    + "</script>_6|") && labels.contains("|\\n_3|"), labels);
            // cells are drawn row-major: row 2, column 3 is shape 2 * 8 + 3
            assertEquals("Layer: 2\nPosition: \\n_3\nvalue: 0.95", hover(page, "[data-tip]", 19));
            assertEquals("#67001f", page.eval("document.querySelectorAll('[data-tip]')[19].getAttribute('fill')"),
                    "the largest value gets RdBu's darkest red");
            assertEquals("Layer: 0\nPosition:  <img src=x onerror=\"window.pwned=1\">_1\nvalue: 0.65",
                    hover(page, "[data-tip]", 1));
            String negative = (String) page.eval("document.querySelectorAll('[data-tip]')[7].getAttribute('fill')");
            assertTrue(PngPixels.bluish(Integer.parseInt(negative.substring(1), 16)), "negative cell " + negative);
            page.mouseMove(2, 2);
            assertEquals(null, tooltip(page), "the tooltip hides off the cells");
        }
    }

    @Test // circuitsvis-style: one panel per head, hover names head, destination and source tokens and the weight
    void attentionViewHoverNamesBothTokens() throws Exception {
        Tensor pattern = Tensor.zeros(2, 5, 5);
        for (int h = 0; h < 2; h++) {
            for (int q = 0; q < 5; q++) {
                for (int k = 0; k <= q; k++) {
                    pattern.set(1f / (q + 1), h, q, k);
                }
            }
        }
        pattern.set(0.125f, 1, 4, 2);
        List<String> tokens = List.of("<|endoftext|>", " A", " B", " A", " B");
        try (Page page = open(AttentionView.of(pattern, tokens, List.of("L0H3", "L1H5"), "Attention"), "attention")) {
            rendersCleanly(page, "attention", 50);
            assertEquals("L1H5\nDestination token:  B_4\nSource token:  B_2\nvalue: 0.125",
                    hover(page, "[data-tip]", 25 + 4 * 5 + 2));
            String panels = (String) page.eval("[...document.querySelectorAll('text')].map(t => t.textContent)"
                    + ".join('|')");
            assertTrue(panels.contains("|L0H3|") && panels.contains("|L1H5|"), panels);
        }
    }

    @Test
    void lineScatterAndBarPagesHover() throws Exception {
        LinePlot line = LinePlot.of(Tensor.of(new float[] {-2, -1, 0, 1, 2, 3, 4}, 7)).hover(Labels.range("L", 7))
                .title("Logit lens").xTitle("layer").yTitle("logit diff").build();
        try (Page page = open(line, "line")) {
            rendersCleanly(page, "line", 7);
            assertEquals("L3\nx: 3\ny: 1", hover(page, "circle[data-tip]", 3));
        }
        Tensor x = Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 0.4f}, 4);
        Tensor y = Tensor.of(new float[] {0.5f, 0.1f, -0.3f, 0.2f}, 4);
        ScatterPlot scatter = ScatterPlot.of(x, y).hover(List.of("L0H0", "L0H1", "L1H0", "L1H1"))
                .color(Tensor.of(new float[] {0, 0, 1, 1}, 4), "Layer").xTitle("Value Patch").yTitle("Output Patch")
                .rangeX(-0.5, 0.5).rangeY(-0.5, 0.5).title("Output vs value patching").build();
        try (Page page = open(scatter, "scatter")) {
            rendersCleanly(page, "scatter", 4);
            assertEquals("L1H0\nValue Patch: 0.3\nOutput Patch: -0.3\nLayer: 1", hover(page, "circle[data-tip]", 2));
        }
        BarChart bars = BarChart.of(List.of(" Mary", " John", "\n"), new double[] {0.7, 0.2, 0.05}, "Top tokens",
                "probability");
        try (Page page = open(bars, "bars")) {
            rendersCleanly(page, "bars", 3);
            assertEquals("\n\nprobability: 0.05", hover(page, "rect[data-tip]", 2));
        }
        assertTrue(Files.size(OUT.resolve("bars.png")) > 2000);
    }
}
