// Entry point for spark-submit: the top-activations job over a text/JSONL path or folder, on the cluster's executors.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.model.pretrained.Pretrained;
import dev.jlens.model.weights.ProcessingOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-submit --class dev.jlens.spark.SparkMain jlens-spark.jar --model M --corpus PATH [--field F]
 * [--column C] --hooks H[,H...] [--k K] [--ctx-len L] [--batch B] [--shard S] [--window W] [--dashboards N]
 * [--padded] [--no-processing] [--overwrite] --out DIR}. With --column C, Spark reads the JSONL at PATH and the job
 * takes column C; otherwise the driver reads PATH as a {@link Corpus} (a .txt, a folder or JSONL with --field). The
 * master comes from spark-submit (local[*] when none is set). Prints one summary line; errors are one line on stderr and
 * exit 2.
 */
public final class SparkMain {
    private SparkMain() {}

    /** Runs the job; see the class comment. */
    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("jlens-spark: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] argv) {
        Map<String, String> a = parse(argv);
        int batch = Integer.parseInt(a.getOrDefault("--batch", "8"));
        SparkJob job = new SparkJob(need(a, "--model"), a.containsKey("--no-processing"),
                List.of(need(a, "--hooks").split(",")), Integer.parseInt(a.getOrDefault("--k", "20")),
                Integer.parseInt(a.getOrDefault("--ctx-len", "128")), a.containsKey("--padded"), batch,
                Integer.parseInt(a.getOrDefault("--shard", Integer.toString(8 * batch))),
                Integer.parseInt(a.getOrDefault("--window", "8")), Integer.parseInt(a.getOrDefault("--dashboards",
                "20")), a.containsKey("--overwrite"));
        SparkSession spark = SparkSession.builder().appName("jlens top-activations")
                .master(System.getProperty("spark.master", "local[*]")).getOrCreate();
        try {
            HookedGpt2 model = Pretrained.load(job.model(), job.noProcessing() ? ProcessingOptions.none()
                    : ProcessingOptions.defaults(), System.getenv());
            String corpus = need(a, "--corpus");
            DocumentSource docs = a.containsKey("--column")
                    ? SparkCorpus.column(spark.read().json(corpus), a.get("--column"), corpus)
                    : new Corpus(Path.of(corpus), a.get("--field"), false);
            int wave = 2 * spark.sparkContext().defaultParallelism();
            TopActivations.Result r = SparkTopActivations.run(spark, model, job, docs, Path.of(need(a, "--out")),
                    wave);
            System.out.println("top-activations on Spark: " + r.contexts() + " contexts in " + r.shards()
                    + " shards (" + r.resumed() + " resumed); wrote " + r.dir().resolve("top.jsonl") + ", "
                    + r.dir().resolve("top.parquet") + " and " + r.dir().resolve("dashboards/index.html"));
        } finally {
            spark.stop();
        }
    }

    private static Map<String, String> parse(String[] argv) {
        List<String> switches = List.of("--padded", "--no-processing", "--overwrite");
        List<String> valued = List.of("--model", "--corpus", "--field", "--column", "--hooks", "--k", "--ctx-len",
                "--batch", "--shard", "--window", "--dashboards", "--out");
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (switches.contains(argv[i])) {
                a.put(argv[i], "true");
            } else if (valued.contains(argv[i]) && i + 1 < argv.length) {
                a.put(argv[i], argv[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: '" + argv[i] + "'; options: "
                        + String.join(", ", valued) + ", " + String.join(", ", switches));
            }
        }
        return a;
    }

    private static String need(Map<String, String> a, String flag) {
        String v = a.get(flag);
        if (v == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return v;
    }
}
