// ./jlens top-activations: mines a corpus for each feature's most activating contexts on the local engine.
package dev.jlens.model.cli;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the job's flags into {@link TopActivations.Options}, runs it and prints what it wrote and how fast. */
final class TopActivationsCommand {
    private TopActivationsCommand() {}

    /** The feature sources: every unit of each --hooks name, then each --matrix HOOK=FILE.npy. */
    static List<FeatureSource> sources(String hooks, List<String> matrices) {
        List<FeatureSource> out = new ArrayList<>();
        for (String h : hooks.split(",")) {
            if (!h.isBlank()) {
                out.add(FeatureSource.units(h.strip()));
            }
        }
        for (String m : matrices) {
            out.add(FeatureSource.fromNpy(m));
        }
        return out;
    }

    static int run(HookedGpt2 model, Corpus corpus, TopActivations.Options options, Path out, PrintStream print) {
        long start = System.nanoTime();
        TopActivations.Result r = TopActivations.run(model, corpus, options, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        long positions = (long) r.contexts() * options.ctxLen();
        print.printf(Locale.ROOT, "%s on %s: %d contexts of %d tokens in %d shards (%d resumed), %d document tokens%s"
                + "%n", TopActivations.JOB, corpus.describe(), r.contexts(), options.ctxLen(), r.shards(), r.resumed(),
                r.tokens(), r.skippedLines() > 0 ? ", " + r.skippedLines() + " bad lines skipped" : "");
        print.printf(Locale.ROOT, "%.1f s, %.0f positions/s with %d threads%n", seconds, positions / seconds,
                options.threads());
        print.println("wrote " + out.resolve("top.jsonl") + " and " + out.resolve("dashboards/index.html"));
        return 0;
    }
}
