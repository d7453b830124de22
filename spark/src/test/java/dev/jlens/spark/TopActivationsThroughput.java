// Benchmark (run by scripts/bench_top_activations.sh, not a test): tokens/s of the top-activations job per engine.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.RunOptions;
import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.model.pretrained.Pretrained;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * On one corpus and model, in one JVM, one after the other: the plain batched forward (the ceiling: the same blocks
 * the job runs, no hooks, no logits, one caller thread), then the top-activations job on the local engine with 1 and
 * 2 worker threads and on Spark local[2], each from tokenization to written outputs. Prints tokens/s of each and its
 * ratio to the ceiling, and the load average before and after (the machine is shared). Args: model corpus.txt hook
 * ctx_len batch k.
 */
public final class TopActivationsThroughput {
    private TopActivationsThroughput() {}

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String modelName = args[0];
        Corpus corpus = Corpus.of(Path.of(args[1]));
        String hook = args[2];
        int ctxLen = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int k = Integer.parseInt(args[5]);
        System.out.println("load average before: " + load());
        HookedGpt2 model = Pretrained.load(modelName);
        List<Context> contexts = new ArrayList<>();
        try (ContextStream s = ContextStream.concatenated(corpus, model.tokenizer(), ctxLen)) {
            for (Context c = s.next(); c != null; c = s.next()) {
                contexts.add(c);
            }
        }
        long tokens = (long) contexts.size() * ctxLen;
        System.out.printf(Locale.ROOT, "%s, %s: %d contexts of %d = %d tokens, batch %d, k %d%n", model, hook,
                contexts.size(), ctxLen, tokens, batch, k);
        int stop = model.hookPoint(hook).layer() + 1;
        forward(model, contexts.subList(0, Math.min(contexts.size(), 4 * batch)), batch, stop); // warm-up
        long t0 = System.nanoTime();
        forward(model, contexts, batch, stop);
        double ceiling = tokens / ((System.nanoTime() - t0) / 1e9);
        report("plain forward (blocks 0.." + (stop - 1) + ", no hooks)", ceiling, ceiling);
        Path out = Files.createTempDirectory("jlens-bench");
        List<FeatureSource> sources = List.of(FeatureSource.units(hook));
        for (int threads : new int[] {1, 2}) {
            var o = new TopActivations.Options(sources, k, ctxLen, false, batch, 8 * batch, threads, 8, 4, false);
            long t = System.nanoTime();
            TopActivations.run(model, corpus, o, out.resolve("local-" + threads));
            report("job, local engine, " + threads + " thread(s)", tokens / ((System.nanoTime() - t) / 1e9),
                    ceiling);
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("jlens-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        SparkJob job = new SparkJob(modelName, false, List.of(hook), k, ctxLen, false, batch, 8 * batch, 8, 4, false);
        long t = System.nanoTime();
        SparkTopActivations.run(spark, model, job, corpus, out.resolve("spark"), 4);
        report("job, Spark local[2] (session already up)", tokens / ((System.nanoTime() - t) / 1e9), ceiling);
        spark.stop();
        System.out.println("top.jsonl local-2 == spark: " + Arrays.equals(Files.readAllBytes(out.resolve(
                "local-2/top.jsonl")), Files.readAllBytes(out.resolve("spark/top.jsonl"))));
        System.out.println("load average after: " + load());
    }

    private static void forward(HookedGpt2 model, List<Context> contexts, int batch, int stop) {
        RunOptions o = RunOptions.defaults().returning(ReturnType.NONE);
        if (stop < model.cfg().nLayers()) {
            o = o.stoppingAt(stop);
        }
        for (int from = 0; from < contexts.size(); from += batch) {
            int[][] tokens = contexts.subList(from, Math.min(contexts.size(), from + batch)).stream()
                    .map(Context::tokens).toArray(int[][]::new);
            model.forward(tokens, o);
        }
    }

    private static void report(String what, double tokensPerSecond, double ceiling) {
        System.out.printf(Locale.ROOT, "%-50s %9.1f tokens/s  %5.1f%% of the plain forward%n", what, tokensPerSecond,
                100 * tokensPerSecond / ceiling);
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
