// Dashboards for features asked for by name: a page each, listed first, besides the top-N pages; bad names refused.
package dev.jlens.model.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.dataset.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedDashboardsTest {
    private static final HookedGpt2 MODEL = BuiltinModels.load(InductionModel.NAME);
    private static final String Z1 = "blocks.1.attn.hook_z";
    private static final String RESID = "blocks.0.hook_resid_post";

    @TempDir
    Path dir;

    private static TopActivations.Options options(int dashboards, List<TopActivations.Feature> named) {
        return new TopActivations.Options(List.of(FeatureSource.units(Z1), FeatureSource.units(RESID)), 3, 16, false,
                4, 8, 1, 3, dashboards, false, named);
    }

    @Test // the weakest feature never makes the top N, so its page exists only because it was asked for
    void aNamedFeatureGetsAPageListedFirstBesideTheTopN() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 8, 5);
        TopActivations.Result plain = TopActivations.run(MODEL, Corpus.of(corpus), options(2, List.of()),
                dir.resolve("plain"));
        FeatureStats z = plain.sources().getFirst().stats();
        int weakest = 0;
        for (int f = 1; f < plain.sources().getFirst().top().features(); f++) {
            weakest = z.max(f) < z.max(weakest) ? f : weakest;
        }
        List<TopActivations.Feature> named = TopActivations.Feature.parse(Z1 + ":" + weakest);
        TopActivations.run(MODEL, Corpus.of(corpus), options(2, named), dir.resolve("named"));

        List<String> plainPages = links(dir.resolve("plain/dashboards/index.html"));
        List<String> namedPages = links(dir.resolve("named/dashboards/index.html"));
        assertEquals(2, plainPages.size());
        assertTrue(!plainPages.contains("feature-0-" + weakest + ".html"), plainPages.toString());
        assertEquals("feature-0-" + weakest + ".html", namedPages.getFirst(), "the named feature is listed first");
        assertEquals(plainPages, namedPages.subList(1, 3), "then the same top-N pages");
        String page = Files.readString(dir.resolve("named/dashboards/feature-0-" + weakest + ".html"));
        assertTrue(page.contains("<h1>" + Z1 + " feature " + weakest + "</h1>"), page);
        assertEquals(3, page.split("<tr><td>", -1).length - 1, "its k = 3 top entries");
        assertEquals(Files.readString(dir.resolve("plain/top.jsonl")), Files.readString(dir.resolve("named/top.jsonl")),
                "naming a feature changes only the dashboards");
    }

    @Test
    void badFeatureNamesGetOneClearLine() throws IOException {
        Path corpus = PlantedCorpus.write(dir.resolve("c.txt"), MODEL.tokenizer(), 8, 5);
        int width = MODEL.cfg().nHeads() * MODEL.cfg().dHead();
        var e = assertThrows(IllegalArgumentException.class, () -> TopActivations.run(MODEL, Corpus.of(corpus),
                options(1, TopActivations.Feature.parse(Z1 + ":2," + width)), dir.resolve("a")));
        assertEquals("--features " + Z1 + ":" + width + ": " + Z1 + " has " + width + " features (0.." + (width - 1)
                + ")", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("a")), "refused before the output folder is made");
        e = assertThrows(IllegalArgumentException.class, () -> options(1, TopActivations.Feature.parse(
                "blocks.1.attn.hook_q:1")));
        assertTrue(e.getMessage().contains("blocks.1.attn.hook_q is not mined; the sources are " + Z1 + ", " + RESID),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.Feature.parse(Z1));
        assertTrue(e.getMessage().contains("--features expects HOOK:i,j,..."), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.Feature.parse(Z1 + ":1,x"));
        assertTrue(e.getMessage().contains("'x' is not a feature index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopActivations.Feature.parse(Z1 + ":-1"));
        assertTrue(e.getMessage().contains("is negative"), e.getMessage());
    }

    private static List<String> links(Path index) throws IOException {
        Matcher m = Pattern.compile("href=\"(feature-[0-9]+-[0-9]+\\.html)\"").matcher(Files.readString(index));
        return m.results().map(r -> r.group(1)).toList();
    }
}
