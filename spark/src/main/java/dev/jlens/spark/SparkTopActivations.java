// The top-activations job on Spark: over a DataFrame column or files, with the local engine's outputs + top.parquet.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import dev.jlens.tensor.Tensor;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link TopActivations} with its shards on Spark executors. The outputs are the local engine's, byte for byte
 * (DIR/top.jsonl, DIR/dashboards), plus DIR/top.parquet: top.jsonl's rows as a Parquet table (Spark's own writer,
 * one file), with the schema hook, feature, top (array of value, context, pos, window_start, tokens), mean, max,
 * frac_active, count, histogram. User matrices (e.g. SAE encoders) reach the executors as one Spark broadcast.
 */
public final class SparkTopActivations {
    /** A user matrix as it travels: its hook, label, row-major values and shape [F, n]. */
    private record Matrix(String hook, String label, float[] values, int[] shape) implements Serializable {
        static Matrix of(FeatureSource s) {
            return new Matrix(s.hook(), s.label(), s.matrix().toArray(), s.matrix().shape());
        }

        FeatureSource source() {
            return new FeatureSource(hook, Tensor.of(values, shape), label);
        }
    }

    private SparkTopActivations() {}

    /** {@link #run(SparkSession, HookedGpt2, SparkJob, List, DocumentSource, Path, int)} without user matrices. */
    public static TopActivations.Result run(SparkSession spark, HookedGpt2 model, SparkJob job, DocumentSource docs,
            Path out, int wave) {
        return run(spark, model, job, List.of(), docs, out, wave);
    }

    /**
     * Runs {@code job} with {@code matrices} (sources from {@link FeatureSource#projected} or {@link
     * FeatureSource#fromNpy}, after the job's hooks) over {@code docs} into {@code out}; {@code wave} shards run per
     * Spark job (e.g. twice the default parallelism). The driver's {@code model} is shared with executors running in
     * its JVM (local mode).
     */
    public static TopActivations.Result run(SparkSession spark, HookedGpt2 model, SparkJob job,
            List<FeatureSource> matrices, DocumentSource docs, Path out, int wave) {
        for (FeatureSource m : matrices) {
            if (m.matrix() == null) {
                throw new IllegalArgumentException(m.label() + " is a hook's units; name it in the job's hooks");
            }
        }
        ModelCache.put(job.model(), job.noProcessing(), model);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<List<Matrix>> shipped = jsc.broadcast(matrices.stream().map(Matrix::of).toList());
        TopActivations.Options options = job.options(matrices);
        try {
            TopActivations.Result r = TopActivations.run(model, docs, options, out, new SparkShards<>(jsc,
                    job.shardContexts(), wave, shard -> TopActivations.mineShard(ModelCache.get(job.model(),
                    job.noProcessing()), job.options(shipped.value().stream().map(Matrix::source).toList()), shard),
                    TopActivations::saveShard));
            spark.read().json(out.resolve("top.jsonl").toString()).coalesce(1).write().mode(SaveMode.Overwrite)
                    .parquet(out.resolve("top.parquet").toString());
            return r;
        } finally {
            shipped.destroy();
        }
    }
}
