// The activation-export job on Spark: the local engine's safetensors shards, computed on executors.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.dataset.DocumentSource;
import dev.jlens.model.jobs.ActivationExport;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link ActivationExport} with its shards on Spark executors: each task returns its shard's safetensors bytes
 * and the driver writes them, so the output folder (shards, export.json, manifest) is the local engine's, byte for
 * byte, and needs no file system shared with the executors.
 */
public final class SparkActivationExport {
    private SparkActivationExport() {}

    /**
     * Exports {@code docs} into {@code out} with {@code o} (its thread count is ignored: one task per shard), {@code
     * wave} shards per Spark job. Executors load the model {@code modelName} (with or without TL's processing) once
     * per JVM; the driver's {@code model} is shared with executors in its JVM (local mode).
     */
    public static ActivationExport.Result run(SparkSession spark, HookedGpt2 model, String modelName,
            boolean noProcessing, ActivationExport.Options o, DocumentSource docs, Path out, int wave) {
        ModelCache.put(modelName, noProcessing, model);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return ActivationExport.run(model, docs, o, out, new SparkShards<>(jsc, o.shardContexts(), wave,
                shard -> ActivationExport.exportShard(ModelCache.get(modelName, noProcessing), o, shard),
                ActivationExport::saveShard));
    }
}
