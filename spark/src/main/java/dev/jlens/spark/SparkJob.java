// The settings of a top-activations job as Spark ships them to executors (plain values, serializable).
package dev.jlens.spark;

import dev.jlens.model.jobs.FeatureSource;
import dev.jlens.model.jobs.TopActivations;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A top-activations job for Spark: the model by name (each executor loads it once) and the job's options. Feature
 * sources are hooks' units here; user matrices travel beside the job as a Spark broadcast
 * ({@link SparkTopActivations}).
 *
 * @param model         a built-in name, a Hugging Face id or a folder every node can read
 * @param noProcessing  load the weights without TL's processing
 * @param hooks         full hook names
 * @param k             entries kept per feature
 * @param ctxLen        tokens per context
 * @param padded        one padded context per document
 * @param batch         contexts per forward
 * @param shardContexts contexts per shard (a Spark task)
 * @param window        tokens on each side of a top position in top.jsonl
 * @param dashboards    feature pages to draw
 * @param overwrite     replace a folder holding another job's results
 * @param named         features that get a dashboard page whatever their max
 */
public record SparkJob(String model, boolean noProcessing, List<String> hooks, int k, int ctxLen, boolean padded,
        int batch, int shardContexts, int window, int dashboards, boolean overwrite,
        List<TopActivations.Feature> named) implements Serializable {
    /** Copies the lists into serializable ones. */
    public SparkJob {
        hooks = List.copyOf(hooks);
        named = List.copyOf(named);
    }

    /** A job without named features: pages for the top {@code dashboards} features only. */
    public SparkJob(String model, boolean noProcessing, List<String> hooks, int k, int ctxLen, boolean padded,
            int batch, int shardContexts, int window, int dashboards, boolean overwrite) {
        this(model, noProcessing, hooks, k, ctxLen, padded, batch, shardContexts, window, dashboards, overwrite,
                List.of());
    }

    /** The local engine's options for the same job (thread count: one per task). */
    public TopActivations.Options options() {
        return options(List.of());
    }

    /** The local engine's options for the same job with {@code matrices} after the hooks' units. */
    public TopActivations.Options options(List<FeatureSource> matrices) {
        List<FeatureSource> sources = new ArrayList<>(hooks.stream().map(FeatureSource::units).toList());
        sources.addAll(matrices);
        return new TopActivations.Options(sources, k, ctxLen, padded, batch, shardContexts, 1, window, dashboards,
                overwrite, named);
    }
}
