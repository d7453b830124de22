// The top-activations job on Spark: over a DataFrame column or files, with the local engine's outputs + top.parquet.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.DocumentReader;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.TopActivations;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link TopActivations} with its shards on Spark executors. The outputs are the local engine's, byte for byte
 * (DIR/top.jsonl, DIR/dashboards), plus DIR/top.parquet: top.jsonl's rows as a Parquet table (Spark's own writer,
 * one file), with the schema hook, feature, top (array of value, context, pos, window_start, tokens), mean, max,
 * frac_active, count, histogram.
 */
public final class SparkTopActivations {
    private SparkTopActivations() {}

    /**
     * Runs {@code job} over {@code docs} into {@code out}; {@code wave} shards run per Spark job (e.g. twice the
     * default parallelism). The driver's {@code model} is shared with executors running in its JVM (local mode).
     */
    public static TopActivations.Result run(SparkSession spark, HookedGpt2 model, SparkJob job, DocumentSource docs,
            Path out, int wave) {
        ModelCache.put(job.model(), job.noProcessing(), model);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TopActivations.Result r = TopActivations.run(model, docs, job.options(), out, new SparkEngine(jsc, job,
                wave));
        spark.read().json(out.resolve("top.jsonl").toString()).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(out.resolve("top.parquet").toString());
        return r;
    }

    /**
     * The documents of a string column of {@code frame}, in the frame's order, streamed to the driver one partition
     * at a time ({@code toLocalIterator}), a null as an empty document; {@code name} tells corpora apart in the job
     * manifest.
     */
    public static DocumentSource column(Dataset<Row> frame, String column, String name) {
        Dataset<Row> docs = frame.select(column);
        return new DocumentSource() {
            @Override
            public DocumentReader open() {
                Iterator<Row> rows = docs.toLocalIterator();
                return DocumentReader.of(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public String next() {
                        Row r = rows.next();
                        return r.isNullAt(0) ? "" : r.getString(0);
                    }
                });
            }

            @Override
            public String describe() {
                return name + " (column " + column + ")";
            }
        };
    }
}
