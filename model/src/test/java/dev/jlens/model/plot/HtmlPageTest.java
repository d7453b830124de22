// The HTML page without a browser: user text is escaped everywhere, and nothing is loaded from outside the file.
package dev.jlens.model.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlPageTest {
    @Test // catches a token or title that ends our script, opens a tag, or breaks out of an attribute
    void hostileTextIsEscapedInTextTitlesAndTips() {
        List<String> tokens = List.of("</script><script>alert(1)</script>", "\" onmouseover=\"alert(2)", "a\nb");
        String page = HtmlPage.of("<title>&", List.of(Heatmap.of(Tensor.of(new float[] {1, -1, 0}, 1, 3))
                .x(tokens).title("</svg>").build()));
        assertEquals(1, page.split("<script>", -1).length - 1, "only our own script tag");
        assertEquals(1, page.split("</script>", -1).length - 1);
        assertFalse(page.contains("\" onmouseover=\"alert(2)"), "a quote closed the attribute");
        assertTrue(page.contains("<title>&lt;title&gt;&amp;</title>"), "title escaped");
        assertTrue(page.contains("&lt;/svg&gt;"), "plot title escaped in the SVG");
        assertTrue(page.contains("data-tip=\"y: 0&#10;x: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#10;value: 1\""),
                "tip with escaped markup and newlines as character references");
        assertTrue(page.contains("x: a&#10;b"), "a raw newline inside a label survives as &#10;");
    }

    @Test
    void pageIsSelfContained() {
        String page = HtmlPage.of("t", List.of(LinePlot.of(Tensor.of(new float[] {1, 2}, 2)).build()));
        for (String external : List.of("src=", "href=", "https://", "@import", "url(")) {
            assertFalse(page.contains(external), "the page refers to something outside itself: " + external);
        }
        assertEquals(1, page.split("http://", -1).length - 1, "only the SVG namespace, an identifier");
    }
}
