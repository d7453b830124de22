// ./jlens run's own pictures in headless Chromium: the induction heatmap and the 101-token attention page hover.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.browser.Chromium;
import dev.jlens.model.browser.Page;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RunPlotsInBrowserTest {
    private static final Path OUT = Path.of("target/browser/run");

    @SuppressWarnings("unchecked")
    private static String hover(Page page, int index) {
        List<Number> c = (List<Number>) page.eval("(() => { const e = document.querySelectorAll('[data-tip]')["
                + index + "]; e.scrollIntoView({block: 'center', inline: 'center'}); const r = "
                + "e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        page.mouseMove(c.get(0).doubleValue(), c.get(1).doubleValue());
        return (String) page.eval("document.getElementById('jlens-tip').textContent");
    }

    @Test // the default run's pages, as a user opens them: L1H5's cell and its induction stripe under the mouse
    void runPagesRenderAndHoverInChromium() throws Exception {
        Chromium browser = Chromium.shared();
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[] {"run", "--batch", "1", "--seq-len", "50", "--plot",
                OUT.toString()}));
        } finally {
            System.setOut(original);
        }
        try (Page page = browser.open(OUT.resolve("induction_scores.html"))) {
            assertEquals(List.of(), page.errors());
            assertEquals(16, ((Number) page.eval("document.querySelectorAll('[data-tip]').length")).intValue());
            String tip = hover(page, 8 + 5); // row-major [layer, head]: L1H5
            assertTrue(tip.matches("Layer: 1\nHead: 5\nvalue: 0\\.9[0-9]*"), tip);
            page.screenshot(OUT.resolve("induction_scores.screenshot.png"));
        }
        try (Page page = browser.open(OUT.resolve("attention_L1H5.html"))) {
            assertEquals(List.of(), page.errors());
            assertEquals(101 * 101, ((Number) page.eval("document.querySelectorAll('[data-tip]').length")).intValue());
            // destination 60 is the 10th token of the second repeat: the induction head looks at position 11
            String tip = hover(page, 60 * 101 + 11);
            Matcher m = Pattern.compile("L1H5\nDestination token: (.*)_60\nSource token: (.*)_11\nvalue: ([0-9.]+)")
                    .matcher(tip);
            assertTrue(m.matches(), tip);
            assertTrue(Double.parseDouble(m.group(3)) > 0.9, tip);
            page.screenshot(OUT.resolve("attention_L1H5.screenshot.png"));
        }
    }
}
