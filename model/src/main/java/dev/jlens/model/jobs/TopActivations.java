// The top-activations job: the k most activating (context, pos) of every feature over a corpus, with statistics.
package dev.jlens.model.jobs;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.dataset.TokenProgress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Neuroscope-style mining on the local engine: the corpus is cut into contexts, shards of contexts run on worker
 * threads sharing one model, each shard's top-k and statistics are saved, and the shards are merged in order into
 * {@code DIR/top.jsonl} and HTML dashboards under {@code DIR/dashboards}. Rerunning into the same folder with the
 * same settings resumes and writes the same bytes as an uninterrupted run.
 */
public final class TopActivations {
    /** Job kind in the manifest. */
    public static final String JOB = "top-activations";
    private static final String SHARD_SUFFIX = ".top";

    /**
     * Settings of one run.
     *
     * @param sources       the features to mine
     * @param k             entries kept per feature
     * @param ctxLen        tokens per context (BOS included)
     * @param padded        one padded context per document instead of TL's concatenation
     * @param batch         contexts per forward pass
     * @param shardContexts contexts per shard (a multiple of batch): the unit of resumption
     * @param threads       worker threads (each runs its own forwards on the shared model)
     * @param window        tokens shown on each side of a top position
     * @param dashboards    feature pages to draw: the features with the largest max activation
     * @param overwrite     replace a folder holding another job's results
     * @param named         features that get a page whatever their max (listed first in the index)
     */
    public record Options(List<FeatureSource> sources, int k, int ctxLen, boolean padded, int batch,
            int shardContexts, int threads, int window, int dashboards, boolean overwrite, List<Feature> named) {
        /** Checks the numbers and that each named feature's source is mined. */
        public Options {
            sources = List.copyOf(sources);
            named = List.copyOf(named);
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("name at least one hook (--hooks)");
            }
            List<String> labels = sources.stream().map(FeatureSource::label).toList();
            for (Feature f : named) {
                if (!labels.contains(f.source())) {
                    throw new IllegalArgumentException("--features " + f + ": " + f.source() + " is not mined; the "
                            + "sources are " + String.join(", ", labels));
                }
            }
            if (k < 1 || batch < 1 || threads < 1 || window < 0 || dashboards < 0) {
                throw new IllegalArgumentException("k, batch and threads must be at least 1, window and dashboards "
                        + "at least 0; got k " + k + ", batch " + batch + ", threads " + threads + ", window " + window
                        + ", dashboards " + dashboards);
            }
            if (shardContexts < batch || shardContexts % batch != 0) {
                throw new IllegalArgumentException("shard size " + shardContexts + " must be a multiple of the batch "
                        + batch);
            }
        }

        /** Options without named features: pages for the top {@code dashboards} features only. */
        public Options(List<FeatureSource> sources, int k, int ctxLen, boolean padded, int batch, int shardContexts,
                int threads, int window, int dashboards, boolean overwrite) {
            this(sources, k, ctxLen, padded, batch, shardContexts, threads, window, dashboards, overwrite, List.of());
        }

        /** Every setting that changes the output, as the manifest records it. */
        String describe(HookedGpt2 model, DocumentSource corpus) {
            return "model=" + model.cfg().modelName() + "\ncorpus=" + corpus.describe() + "\nsources="
                    + sources.stream().map(FeatureSource::describe)
                    .collect(Collectors.joining(",")) + "\nk=" + k + "\nctx_len=" + ctxLen + "\npadded=" + padded
                    + "\nbatch=" + batch + "\nshard=" + shardContexts + "\nwindow=" + window + "\ndashboards="
                    + dashboards + (named.isEmpty() ? "" : "\nfeatures=" + named);
        }
    }

    /**
     * One feature of one source, e.g. to ask for its dashboard page.
     *
     * @param source  the source's label (a hook name, or {@code hook@name} for a matrix)
     * @param feature the feature's index
     */
    public record Feature(String source, int feature) implements java.io.Serializable {
        /** Checks the index. */
        public Feature {
            if (feature < 0) {
                throw new IllegalArgumentException("feature index " + feature + " of " + source + " is negative");
            }
        }

        /** {@code SOURCE:i,j,...} (the CLI's --features): features i, j, ... of SOURCE. */
        public static List<Feature> parse(String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new IllegalArgumentException("--features expects HOOK:i,j,..., got '" + spec + "'");
            }
            List<Feature> out = new java.util.ArrayList<>();
            for (String i : spec.substring(colon + 1).split(",")) {
                try {
                    out.add(new Feature(spec.substring(0, colon), Integer.parseInt(i.strip())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--features " + spec + ": '" + i + "' is not a feature index",
                            e);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return source + ":" + feature;
        }
    }

    /**
     * What a run produced.
     *
     * @param dir          the output folder
     * @param contexts     contexts in the corpus
     * @param shards       shards in the corpus
     * @param resumed      shards found done from an earlier run
     * @param tokens       document tokens read (before BOS, EOS and padding)
     * @param skippedLines JSONL lines skipped as bad
     * @param sources      per source, in order: its merged top-k and statistics
     */
    public record Result(Path dir, int contexts, int shards, int resumed, long tokens, long skippedLines,
            List<Mined> sources) {}

    /**
     * The merged result of one source.
     *
     * @param label the source's label
     * @param top   its top-k per feature
     * @param stats its statistics per feature
     */
    public record Mined(String label, TopK top, FeatureStats stats) {}

    private TopActivations() {}

    /** The embedded engine: o.threads() worker threads sharing {@code model}. */
    public static ShardEngine<Options> local(HookedGpt2 model) {
        return (contexts, o, dir) -> {
            try (TokenProgress progress = TokenProgress.auto(JOB)) {
                return LocalEngine.run(contexts, o.shardContexts(), o.threads(), dir,
                        (shard, batch) -> saveShard(dir, shard, mineShard(model, o, batch)), progress);
            }
        };
    }

    /** Runs the job into {@code out} on the local engine (see the class comment). */
    public static Result run(HookedGpt2 model, DocumentSource corpus, Options o, Path out) {
        return run(model, corpus, o, out, local(model));
    }

    /**
     * Runs the job into {@code out}, mining the shards on {@code engine} (which stores each with {@link #saveShard});
     * merging and writing happen here.
     */
    public static Result run(HookedGpt2 model, DocumentSource corpus, Options o, Path out,
            ShardEngine<Options> engine) {
        BatchRunner runner = new BatchRunner(model, o.sources());
        checkNamed(runner, o);
        JobDir dir = JobDir.open(out, JOB, o.describe(model, corpus), o.overwrite());
        int resumed = dir.doneCount();
        int shards;
        ContextStream contexts = open(model, corpus, o);
        try (contexts) {
            shards = engine.runAll(contexts, o, dir);
        }
        if (shards == 0) {
            throw new IllegalArgumentException("corpus " + corpus.describe() + " holds no context of " + o.ctxLen()
                    + " tokens (" + contexts.documents() + " documents, " + contexts.tokens() + " tokens"
                    + (contexts.skippedLines() > 0 ? ", " + contexts.skippedLines() + " bad lines skipped" : "")
                    + ")");
        }
        ShardSummary all = ShardSummary.empty(o.sources().size());
        for (int s = 0; s < shards; s++) {
            all.merge(ShardSummary.load(dir.shardFile(s, SHARD_SUFFIX)));
        }
        List<Mined> mined = new java.util.ArrayList<>();
        for (int s = 0; s < all.top.length; s++) {
            mined.add(new Mined(o.sources().get(s).label(), all.top[s], all.stats[s]));
        }
        TopOutputs.write(model, runner, () -> open(model, corpus, o), mined, o, out);
        return new Result(out, contexts.contexts(), shards, resumed, contexts.tokens(), contexts.skippedLines(),
                mined);
    }

    /**
     * The top-k and statistics of one shard, serialized (what {@link #saveShard} stores). Runs on any JVM holding
     * the model; batches of o.batch() contexts in order, so the bytes do not depend on where it runs.
     */
    public static byte[] mineShard(HookedGpt2 model, Options o, List<Context> shard) {
        BatchRunner runner = new BatchRunner(model, o.sources());
        ShardSummary summary = ShardSummary.empty(o.sources().size());
        for (int from = 0; from < shard.size(); from += o.batch()) {
            List<Context> batch = shard.subList(from, Math.min(shard.size(), from + o.batch()));
            summary.add(batch, runner.run(batch), o.k());
        }
        return summary.toBytes();
    }

    /** Stores shard {@code shard}'s mined bytes in the job folder (atomically); the caller then marks it done. */
    public static void saveShard(JobDir dir, int shard, byte[] summary) {
        ShardSummary.save(dir.shardFile(shard, SHARD_SUFFIX), summary);
    }

    /** Checks each named feature's index against its source's feature count, from a forward of one token. */
    private static void checkNamed(BatchRunner runner, Options o) {
        if (o.named().isEmpty()) {
            return;
        }
        float[][] probe = runner.run(List.of(new Context(-1, new int[] {0}, 1)));
        for (Feature f : o.named()) {
            int features = probe[o.sources().stream().map(FeatureSource::label).toList().indexOf(f.source())].length;
            if (f.feature() >= features) {
                throw new IllegalArgumentException("--features " + f + ": " + f.source() + " has " + features
                        + " features (0.." + (features - 1) + ")");
            }
        }
    }

    static ContextStream open(HookedGpt2 model, DocumentSource corpus, Options o) {
        return o.padded() ? ContextStream.padded(corpus, model.tokenizer(), o.ctxLen())
                : ContextStream.concatenated(corpus, model.tokenizer(), o.ctxLen());
    }

}
