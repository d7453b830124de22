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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * On one corpus and model, in one JVM: the configurations named in ORDER, run in that order, so that alternating
 * them (local-2,spark,local-2,spark) spreads the shared machine's load drift over both. A configuration is
 * {@code forward} (the plain batched forward over the same blocks as the job, no hooks, no logits: the ceiling),
 * {@code local-T} (the job on the local engine with T worker threads) or {@code spark} (the job on Spark local[2],
 * its session started before timing). Each job run is timed from tokenization to written outputs. First a warm-up
 * of every configuration on the corpus's first lines (JIT), untimed. Prints each run's tokens/s with the load
 * average, each configuration's mean, and spark over local-2. Args: model corpus.txt hook ctx_len batch k ORDER.
 */
public final class TopActivationsThroughput {
    private TopActivationsThroughput() {}

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String modelName = args[0];
        Path corpusFile = Path.of(args[1]);
        String hook = args[2];
        int ctxLen = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int k = Integer.parseInt(args[5]);
        List<String> order = List.of((args.length > 6 ? args[6] : "forward,local-1,local-2,spark").split(","));
        System.out.println("load average before: " + load());
        HookedGpt2 model = Pretrained.load(modelName);
        Corpus corpus = Corpus.of(corpusFile);
        List<Context> contexts = contexts(model, corpus, ctxLen);
        long tokens = (long) contexts.size() * ctxLen;
        System.out.printf(Locale.ROOT, "%s, %s: %d contexts of %d = %d tokens, batch %d, k %d, order %s%n", model,
                hook, contexts.size(), ctxLen, tokens, batch, k, order);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("jlens-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        Path out = Files.createTempDirectory("jlens-bench");
        Bench bench = new Bench(model, modelName, spark, hook, ctxLen, batch, k, out);
        Path warm = out.resolve("warm.txt");
        List<String> lines = Files.readAllLines(corpusFile);
        Files.write(warm, lines.subList(0, Math.max(1, lines.size() / 40)));
        for (String config : new java.util.LinkedHashSet<>(order)) {
            bench.run(config, Corpus.of(warm), contexts.subList(0, Math.min(contexts.size(), 4 * batch)),
                    "warm-" + config); // a folder per configuration: a shared one would resume, not run
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            String config = order.get(i);
            String before = load();
            long t = System.nanoTime();
            bench.run(config, corpus, contexts, "run" + i);
            double rate = tokens / ((System.nanoTime() - t) / 1e9);
            rates.computeIfAbsent(config, c -> new ArrayList<>()).add(rate);
            System.out.printf(Locale.ROOT, "run %d %-10s %9.1f tokens/s   (load average %s -> %s)%n", i, config, rate,
                    before, load());
        }
        spark.stop();
        for (var e : rates.entrySet()) {
            System.out.printf(Locale.ROOT, "%-10s mean %9.1f tokens/s over %d runs %s%n", e.getKey(),
                    e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    e.getValue().size(), e.getValue().stream().map(r -> String.format(Locale.ROOT, "%.1f", r))
                            .toList());
        }
        if (rates.containsKey("spark") && rates.containsKey("local-2")) {
            double s = rates.get("spark").stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double l = rates.get("local-2").stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            System.out.printf(Locale.ROOT, "spark local[2] / local engine 2 threads: %.1f%%%n", 100 * s / l);
            int last = order.lastIndexOf("spark");
            int lastLocal = order.lastIndexOf("local-2");
            System.out.println("top.jsonl local-2 == spark: " + Arrays.equals(
                    Files.readAllBytes(out.resolve("run" + lastLocal + "/top.jsonl")),
                    Files.readAllBytes(out.resolve("run" + last + "/top.jsonl"))));
        }
        System.out.println("load average after: " + load());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The engines under test, sharing one model and one Spark session. */
    private record Bench(HookedGpt2 model, String modelName, SparkSession spark, String hook, int ctxLen, int batch,
            int k, Path out) {
        void run(String config, Corpus corpus, List<Context> contexts, String name) {
            List<FeatureSource> sources = List.of(FeatureSource.units(hook));
            if (config.equals("forward")) {
                forward(model, contexts, batch, model.hookPoint(hook).layer() + 1);
            } else if (config.equals("spark")) {
                SparkJob job = new SparkJob(modelName, false, List.of(hook), k, ctxLen, false, batch, 8 * batch, 8, 4,
                        false);
                SparkTopActivations.run(spark, model, job, corpus, out.resolve(name), 4);
            } else if (config.startsWith("local-")) {
                int threads = Integer.parseInt(config.substring("local-".length()));
                var o = new TopActivations.Options(sources, k, ctxLen, false, batch, 8 * batch, threads, 8, 4, false);
                TopActivations.run(model, corpus, o, out.resolve(name));
            } else {
                throw new IllegalArgumentException("unknown configuration " + config + " (forward, local-T, spark)");
            }
        }
    }

    private static List<Context> contexts(HookedGpt2 model, Corpus corpus, int ctxLen) {
        List<Context> contexts = new ArrayList<>();
        try (ContextStream s = ContextStream.concatenated(corpus, model.tokenizer(), ctxLen)) {
            for (Context c = s.next(); c != null; c = s.next()) {
                contexts.add(c);
            }
        }
        return contexts;
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

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
