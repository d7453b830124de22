// The top-activations dashboards in a real headless Chromium: clean load, the right rows, hostile tokens as text.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.browser.Chromium;
import dev.jlens.model.browser.Page;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the job on a corpus holding markup and a script tag, opens the index and the first feature page in the shared
 * headless Chromium ({@link Chromium}), and checks: no console error, exception, request or script; one index row
 * per dashboard; one table row per top entry with the top token outlined and shaded fully (its activation is the
 * feature's max); the hostile text shown as text; screenshots under target/browser/.
 */
class DashboardsInBrowserTest {
    private static final Path OUT = Path.of("target/browser/top-activations");

    @Test
    void indexAndFeaturePagesRenderTheTopContexts() throws Exception {
        HookedGpt2 model = BuiltinModels.load("induction-2l");
        Files.createDirectories(OUT);
        Path corpus = Files.writeString(OUT.resolve("corpus.txt"), String.join("\n", List.of(
                " one two three <script>window.pwned=1</script> one two three four",
                " alpha beta <img src=x onerror=\"window.pwned=2\"> alpha beta gamma & delta",
                " red green blue red green blue red green blue")) + "\n");
        var options = new TopActivations.Options(List.of(FeatureSource.units("blocks.1.attn.hook_z")), 3, 32, true, 2,
                2, 1, 4, 3, true);
        TopActivations.run(model, Corpus.of(corpus), options, OUT.resolve("out"));
        Chromium browser = Chromium.shared();
        try (Page index = browser.open(OUT.resolve("out/dashboards/index.html"))) {
            clean(index, "index");
            assertEquals(3, ((Number) index.eval("document.querySelectorAll('#features tr').length")).intValue() - 1);
            index.screenshot(OUT.resolve("index.png"));
        }
        String first = Files.readString(OUT.resolve("out/dashboards/index.html")).replaceAll("(?s).*?href=\"([^\"]+)\""
                + ".*", "$1");
        try (Page page = browser.open(OUT.resolve("out/dashboards").resolve(first))) {
            clean(page, first);
            assertEquals(3, ((Number) page.eval("document.querySelectorAll('#top tr').length")).intValue() - 1);
            assertEquals(3, ((Number) page.eval("document.querySelectorAll('.tok.top').length")).intValue(),
                    "one outlined token per top entry");
            assertEquals(List.of("rgb(255, 140, 0)"), page.eval("[...new Set([...document.querySelectorAll("
                    + "'#top tr:nth-child(2) .tok.top')].map(t => getComputedStyle(t).backgroundColor))]"),
                    "the best entry's token is shaded fully");
            assertEquals(33, ((Number) page.eval("document.querySelectorAll('#histogram div').length")).intValue());
            String text = (String) page.eval("document.body.textContent");
            assertTrue(text.contains("max "), text);
            page.screenshot(OUT.resolve("feature.png"));
        }
        String all = Files.readString(OUT.resolve("out/dashboards").resolve(first));
        assertTrue(!all.contains("<script>window") && !all.contains("<img"), "hostile tokens are escaped");
    }

    private static void clean(Page page, String name) {
        assertEquals(List.of(), page.errors(), "console errors or exceptions on " + name);
        assertEquals(List.of(), page.otherRequests(), "a self-contained page requests nothing");
        assertEquals(0, ((Number) page.eval("document.scripts.length")).intValue(), "no script at all");
        assertEquals(null, page.eval("window.pwned === undefined ? null : window.pwned"), "a token ran as code");
    }
}
