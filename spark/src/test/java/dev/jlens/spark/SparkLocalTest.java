// Spark local[2] against the local engine: the same bytes from each of the three jobs, and a readable Parquet.
package dev.jlens.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.ActivationExport;
import dev.jlens.model.jobs.DatasetPatching;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkLocalTest {
    private static final Path FORTUNES = Path.of("../model/src/test/resources/corpora/fortunes-wisdom.jsonl");
    private static final SparkJob JOB = new SparkJob("induction-2l", false, List.of("blocks.1.attn.hook_z",
            "blocks.0.hook_resid_post"), 5, 64, false, 4, 16, 4, 3, false);
    private static SparkSession spark;
    private static HookedGpt2 model;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("jlens-spark-test").config("spark.ui.enabled",
                "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        model = BuiltinModels.load("induction-2l");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test // same shards, same batches, same model arithmetic: the merged top-k and statistics are equal exactly
    void localTwoEqualsTheLocalEngineOverFilesAndOverADataFrameColumn() throws IOException {
        List<FeatureSource> probe = List.of(FeatureSource.projected("blocks.0.hook_resid_post",
                randomMatrix(model.cfg().dModel(), 3), "probe")); // travels as a broadcast
        TopActivations.Options job = JOB.options(probe);
        TopActivations.Options local = new TopActivations.Options(job.sources(), JOB.k(), JOB.ctxLen(),
                JOB.padded(), JOB.batch(), JOB.shardContexts(), 2, JOB.window(), JOB.dashboards(), false);
        TopActivations.Result want = TopActivations.run(model, new Corpus(FORTUNES, "text", false), local,
                dir.resolve("local"));
        TopActivations.Result files = SparkTopActivations.run(spark, model, JOB, probe,
                new Corpus(FORTUNES, "text", false), dir.resolve("spark-files"), 3);
        TopActivations.Result column = SparkTopActivations.run(spark, model, JOB, probe, SparkCorpus.column(
                spark.read().json(FORTUNES.toString()), "text", "fortunes"), dir.resolve("spark-column"), 4);
        assertEquals(3, want.sources().get(2).top().features(), "the probe's features are mined");
        assertEquals(want.contexts(), files.contexts());
        assertEquals(want.contexts(), column.contexts());
        assertEquals(17, files.shards(), "259 contexts in shards of 16");
        assertSameOutputs(dir.resolve("local"), dir.resolve("spark-files"));
        assertSameOutputs(dir.resolve("local"), dir.resolve("spark-column"));

        List<Row> rows = spark.read().parquet(dir.resolve("spark-files/top.parquet").toString())
                .where("hook = 'blocks.1.attn.hook_z' AND feature = 320").collectAsList();
        assertEquals(1, rows.size());
        TopActivations.Mined z = want.sources().getFirst();
        List<Row> top = rows.getFirst().getList(rows.getFirst().fieldIndex("top"));
        assertEquals(z.top().sorted(320)[0].value(), (float) top.getFirst().getDouble(top.getFirst()
                .fieldIndex("value")));
        assertEquals(z.top().sorted(320)[0].context(), top.getFirst().getLong(top.getFirst().fieldIndex("context")));
        assertEquals(512 + 512 + 3, spark.read().parquet(dir.resolve("spark-files/top.parquet").toString()).count());
    }

    @Test // each task returns its shard's safetensors bytes, the driver writes them: the same files as the local engine
    void activationExportEqualsTheLocalEngineOverFilesAndOverADataFrameColumn() throws IOException {
        ActivationExport.Options o = new ActivationExport.Options(List.of("blocks.1.attn.hook_z",
                "blocks.0.hook_resid_post"), 64, false, new int[] {0, 5, -1}, 4, 16, 2, false);
        ActivationExport.Result want = ActivationExport.run(model, new Corpus(FORTUNES, "text", false), o,
                dir.resolve("local"));
        ActivationExport.Result files = SparkActivationExport.run(spark, model, "induction-2l", false, o,
                new Corpus(FORTUNES, "text", false), dir.resolve("spark-files"), 2);
        ActivationExport.Result column = SparkActivationExport.run(spark, model, "induction-2l", false, o,
                SparkCorpus.column(SparkCorpus.read(spark, FORTUNES.toString()), "text", "fortunes"),
                dir.resolve("spark-column"), 3);
        String parquet = dir.resolve("fortunes.parquet").toString();
        spark.read().json(FORTUNES.toString()).coalesce(1).write().parquet(parquet); // one part: the lines' order
        ActivationExport.Result fromParquet = SparkActivationExport.run(spark, model, "induction-2l", false, o,
                SparkCorpus.column(SparkCorpus.read(spark, parquet), "text", "fortunes"),
                dir.resolve("spark-parquet"), 3);
        assertEquals(17, want.shards(), "259 contexts in files of 16");
        assertEquals(want.contexts(), files.contexts());
        assertEquals(want.contexts(), column.contexts());
        assertEquals(want.contexts(), fromParquet.contexts());
        for (String run : List.of("spark-files", "spark-column", "spark-parquet")) {
            assertSameFiles(dir.resolve("local"), dir.resolve(run), "export.json");
            for (int s = 0; s < want.shards(); s++) {
                assertSameFiles(dir.resolve("local"), dir.resolve(run), String.format("shards/shard-%06d.safetensors",
                        s));
            }
        }
    }

    @Test // one task per pair: the same per-pair results, mean and standard error as the local loop
    void datasetPatchingEqualsTheLocalEngineOverAFileAndOverADataFrame() throws IOException {
        Path pairs = Files.write(dir.resolve("pairs.jsonl"), List.of(
                pair("apple river stone cloud", "paper glass metal", " cloud", " apple"),
                pair("green table horse music", "water light north", " music", " green"),
                pair("money house night world", "sound field south", " world", " money"),
                pair("bread stone river light", "chair glass metal", " light", " bread"),
                pair("ocean north field paper", "music table horse", " paper", " ocean")));
        DatasetPatching.Options o = new DatasetPatching.Options("resid_pre", false, false, false);
        DatasetPatching.Result want = DatasetPatching.run(model, pairs, o, dir.resolve("local"));
        DatasetPatching.Result file = SparkDatasetPatching.run(spark, model, "induction-2l", false, pairs, o,
                dir.resolve("spark-file"), 2);
        String parquet = dir.resolve("pairs.parquet").toString();
        spark.read().json(pairs.toString()).coalesce(1).write().parquet(parquet); // one part: the lines' order
        DatasetPatching.Result frame = SparkDatasetPatching.run(spark, model, "induction-2l", false,
                SparkCorpus.read(spark, parquet), "pairs", o, dir.resolve("spark-frame"), 2);
        assertEquals(List.of(1, 2, 3, 4, 5), frame.lines());
        for (String run : List.of("spark-file", "spark-frame")) {
            for (String f : List.of("mean.npy", "stderr.npy")) {
                assertSameFiles(dir.resolve("local"), dir.resolve(run), f);
            }
            for (int i = 0; i < 5; i++) {
                assertSameFiles(dir.resolve("local"), dir.resolve(run), String.format("shards/shard-%06d.npy", i));
            }
        }
        assertArrayEquals(want.mean().toArray(), file.mean().toArray());
    }

    /** A pair: clean "A B C D A B C" (induction predicts D), corrupted "A B C D X Y Z". */
    private static String pair(String abcd, String xyz, String correct, String incorrect) {
        String abc = abcd.substring(0, abcd.lastIndexOf(' '));
        return "{\"clean\": \" " + abcd + " " + abc + "\", \"corrupted\": \" " + abcd + " " + xyz
                + "\", \"answers\": [\"" + correct + "\", \"" + incorrect + "\"]}";
    }

    private static Tensor randomMatrix(int rows, int cols) {
        Random r = new Random(7);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return Tensor.of(w, rows, cols);
    }

    private static void assertSameFiles(Path a, Path b, String file) throws IOException {
        assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), b + "/" + file);
    }

    private static void assertSameOutputs(Path a, Path b) throws IOException {
        assertArrayEquals(Files.readAllBytes(a.resolve("top.jsonl")), Files.readAllBytes(b.resolve("top.jsonl")),
                b + "/top.jsonl");
        try (Stream<Path> pages = Files.list(a.resolve("dashboards"))) {
            for (Path p : pages.toList()) {
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(b.resolve("dashboards")
                        .resolve(p.getFileName())), p.getFileName().toString());
            }
        }
    }
}
