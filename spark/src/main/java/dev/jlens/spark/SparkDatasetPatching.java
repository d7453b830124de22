// The dataset-patching job on Spark: one task per prompt pair, the local engine's per-pair files and aggregates.
package dev.jlens.spark;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.jobs.DatasetPatching;
import dev.jlens.model.jobs.PromptPairs;
import dev.jlens.model.jobs.PromptPairs.Pair;
import dev.jlens.tensor.Tensor;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs {@link DatasetPatching} with each pair's sweep as a Spark task; the driver stores every result as the local
 * engine does and computes the mean and standard error, so the output folder is the local engine's, byte for byte.
 */
public final class SparkDatasetPatching {
    /** A sweep's result as it travels back: row-major values and shape. */
    private record Swept(float[] values, int[] shape) implements Serializable {}

    private SparkDatasetPatching() {}

    /** Runs the sweep over the pairs of the JSONL {@code pairsFile} (read on the driver). */
    public static DatasetPatching.Result run(SparkSession spark, HookedGpt2 model, String modelName,
            boolean noProcessing, Path pairsFile, DatasetPatching.Options o, Path out, int wave) {
        return run(spark, model, modelName, noProcessing, PromptPairs.read(pairsFile), pairsFile.toString(), o, out,
                wave);
    }

    /**
     * Runs the sweep over the pairs of a DataFrame with string columns clean and corrupted and an array column answers
     * [correct, incorrect], in the frame's order (row r is line r + 1 in messages); {@code name} tells datasets apart
     * in the job manifest.
     */
    public static DatasetPatching.Result run(SparkSession spark, HookedGpt2 model, String modelName,
            boolean noProcessing, Dataset<Row> pairs, String name, DatasetPatching.Options o, Path out, int wave) {
        return run(spark, model, modelName, noProcessing, SparkCorpus.pairs(pairs, name), name, o, out, wave);
    }

    private static DatasetPatching.Result run(SparkSession spark, HookedGpt2 model, String modelName,
            boolean noProcessing, List<Pair> pairs, String name, DatasetPatching.Options o, Path out, int wave) {
        ModelCache.put(modelName, noProcessing, model);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return DatasetPatching.run(model, pairs, name, o, out, (all, options, dir) -> {
            SparkWaves<Pair, Swept> waves = new SparkWaves<>(jsc, wave, pair -> {
                Tensor t = DatasetPatching.sweep(ModelCache.get(modelName, noProcessing), pair, options);
                return new Swept(t.toArray(), t.shape());
            }, (i, r) -> {
                DatasetPatching.saveResult(dir, i, Tensor.of(r.values(), r.shape()));
                dir.markDone(i);
            });
            for (int i = 0; i < all.size(); i++) {
                if (!dir.isDone(i)) {
                    waves.add(i, all.get(i));
                }
            }
            waves.finish();
        });
    }
}
