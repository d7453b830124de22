// Entry point for spark-submit and ./jlens --engine spark: the three corpus jobs with ./jlens' flags, on Spark.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.ActivationExport;
import dev.jlens.model.jobs.DatasetPatching;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code SparkMain COMMAND FLAGS}: {@code top-activations}, {@code export-activations} or {@code patch-dataset} with
 * the flags of the same ./jlens command (--threads is ignored: Spark's cores run the tasks; --engine must be spark),
 * plus {@code --column C}: Spark reads --corpus (Parquet when it ends in .parquet, else JSONL) and the job takes column
 * C (otherwise the driver reads --corpus as a {@link Corpus}: a .txt, a folder, or JSONL with --field). --pairs is
 * a JSONL file read by the driver, or a Parquet table (.parquet) read by Spark. The master comes from spark-submit or
 * -Dspark.master (local[*] when none is set). Prints one summary line; errors are one line on stderr and exit 2.
 */
public final class SparkMain {
    private static final Set<String> SWITCHES = Set.of("--padded", "--no-processing", "--overwrite",
            "--skip-bad-lines", "--by-pos", "--naive", "--attribution");
    private static final Map<String, Set<String>> VALUED = Map.of(
            "top-activations", Set.of("--model", "--corpus", "--field", "--column", "--hooks", "--matrix", "--k",
                    "--ctx-len", "--window", "--batch", "--shard", "--threads", "--dashboards", "--features",
                    "--engine", "--out"),
            "export-activations", Set.of("--model", "--corpus", "--field", "--column", "--hooks", "--positions",
                    "--ctx-len", "--batch", "--shard", "--threads", "--engine", "--out"),
            "patch-dataset", Set.of("--model", "--pairs", "--act", "--engine", "--out"));

    private SparkMain() {}

    /** Runs the job; see the class comment. */
    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("jlens-spark: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] argv) {
        if (argv.length == 0 || !VALUED.containsKey(argv[0])) {
            throw new IllegalArgumentException("the first argument names the job: one of " + VALUED.keySet()
                    + (argv.length == 0 ? "" : ", not '" + argv[0] + "'"));
        }
        String command = argv[0];
        Map<String, List<String>> a = parse(command, Arrays.copyOfRange(argv, 1, argv.length));
        if (!one(a, "--engine", "spark").equals("spark")) {
            throw new IllegalArgumentException("--engine " + one(a, "--engine", "") + ": this entry point runs Spark");
        }
        String modelName = need(a, "--model");
        boolean raw = a.containsKey("--no-processing");
        SparkSession spark = SparkSession.builder().appName("jlens " + command)
                .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
        try {
            HookedGpt2 model = Pretrained.load(modelName, raw ? ProcessingOptions.none()
                    : ProcessingOptions.defaults(), System.getenv());
            int wave = 2 * spark.sparkContext().defaultParallelism();
            Path out = Path.of(need(a, "--out"));
            int batch = number(a, "--batch", 8);
            switch (command) {
                case "top-activations" -> {
                    SparkJob job = new SparkJob(modelName, raw, List.of(need(a, "--hooks").split(",")),
                            number(a, "--k", 20), number(a, "--ctx-len", 128), a.containsKey("--padded"), batch,
                            number(a, "--shard", 8 * batch), number(a, "--window", 8), number(a, "--dashboards", 20),
                            a.containsKey("--overwrite"), a.getOrDefault("--features", List.of()).stream()
                            .flatMap(f -> TopActivations.Feature.parse(f).stream()).toList());
                    List<FeatureSource> matrices = a.getOrDefault("--matrix", List.of()).stream()
                            .map(FeatureSource::fromNpy).toList();
                    TopActivations.Result r = SparkTopActivations.run(spark, model, job, matrices, docs(spark, a),
                            out, wave);
                    System.out.println("top-activations on Spark: " + r.contexts() + " contexts in " + r.shards()
                            + " shards (" + r.resumed() + " resumed); wrote " + out.resolve("top.jsonl") + ", "
                            + out.resolve("top.parquet") + " and " + out.resolve("dashboards/index.html"));
                }
                case "export-activations" -> {
                    ActivationExport.Options o = new ActivationExport.Options(List.of(need(a, "--hooks").split(",")),
                            number(a, "--ctx-len", 128), a.containsKey("--padded"), positions(a), batch,
                            number(a, "--shard", 8 * batch), 1, a.containsKey("--overwrite"));
                    ActivationExport.Result r = SparkActivationExport.run(spark, model, modelName, raw, o,
                            docs(spark, a), out, wave);
                    System.out.println("export-activations on Spark: " + r.contexts() + " contexts in " + r.shards()
                            + " files (" + r.resumed() + " resumed); index " + out.resolve("export.json"));
                }
                default -> {
                    String pairs = need(a, "--pairs");
                    DatasetPatching.Options o = new DatasetPatching.Options(need(a, "--act"),
                            a.containsKey("--by-pos"), a.containsKey("--naive"), a.containsKey("--attribution"),
                            a.containsKey("--overwrite"));
                    DatasetPatching.Result r = pairs.endsWith(".parquet")
                            ? SparkDatasetPatching.run(spark, model, modelName, raw, SparkCorpus.read(spark, pairs),
                                    pairs, o, out, wave)
                            : SparkDatasetPatching.run(spark, model, modelName, raw, Path.of(pairs), o, out, wave);
                    System.out.println("patch-dataset on Spark: " + r.lines().size() + " pairs, result "
                            + r.mean().shapeString() + "; wrote " + out.resolve("mean.npy") + " and stderr.npy");
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static DocumentSource docs(SparkSession spark, Map<String, List<String>> a) {
        String corpus = need(a, "--corpus");
        return a.containsKey("--column")
                ? SparkCorpus.column(SparkCorpus.read(spark, corpus), one(a, "--column", null), corpus)
                : new Corpus(Path.of(corpus), one(a, "--field", null), a.containsKey("--skip-bad-lines"));
    }

    private static int[] positions(Map<String, List<String>> a) {
        if (!a.containsKey("--positions")) {
            return null;
        }
        try {
            return Arrays.stream(one(a, "--positions", null).split(",")).mapToInt(p -> Integer.parseInt(p.strip()))
                    .toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--positions expects P[,P...], got '" + one(a, "--positions", null)
                    + "'", e);
        }
    }

    /** Flags of {@code command}: switches map to an empty list, valued flags to their values in order. */
    private static Map<String, List<String>> parse(String command, String[] argv) {
        Set<String> valued = VALUED.get(command);
        Map<String, List<String>> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (SWITCHES.contains(argv[i])) {
                a.put(argv[i], List.of());
            } else if (valued.contains(argv[i]) && i + 1 < argv.length) {
                a.computeIfAbsent(argv[i], k -> new ArrayList<>()).add(argv[++i]);
            } else {
                throw new IllegalArgumentException(command + ": unknown option or missing value: '" + argv[i]
                        + "'; options: " + String.join(", ", valued.stream().sorted().toList()) + ", "
                        + String.join(", ", SWITCHES.stream().sorted().toList()));
            }
        }
        return a;
    }

    private static String one(Map<String, List<String>> a, String flag, String fallback) {
        List<String> v = a.get(flag);
        return v == null ? fallback : v.getLast();
    }

    private static String need(Map<String, List<String>> a, String flag) {
        String v = one(a, flag, null);
        if (v == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return v;
    }

    private static int number(Map<String, List<String>> a, String flag, int fallback) {
        String v = one(a, flag, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a whole number, got '" + v + "'", e);
        }
    }
}
