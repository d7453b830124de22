// Spark local[2] against the local engine: the same bytes in top.jsonl and the dashboards, and a readable Parquet.
package dev.jlens.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.dataset.Corpus;
import dev.jlens.model.jobs.TopActivations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        TopActivations.Options local = new TopActivations.Options(JOB.options().sources(), JOB.k(), JOB.ctxLen(),
                JOB.padded(), JOB.batch(), JOB.shardContexts(), 2, JOB.window(), JOB.dashboards(), false);
        TopActivations.Result want = TopActivations.run(model, new Corpus(FORTUNES, "text", false), local,
                dir.resolve("local"));
        TopActivations.Result files = SparkTopActivations.run(spark, model, JOB, new Corpus(FORTUNES, "text", false),
                dir.resolve("spark-files"), 4);
        TopActivations.Result column = SparkTopActivations.run(spark, model, JOB, SparkTopActivations.column(
                spark.read().json(FORTUNES.toString()), "text", "fortunes"), dir.resolve("spark-column"), 4);
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
        assertEquals(512 + 512, spark.read().parquet(dir.resolve("spark-files/top.parquet").toString()).count());
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
