// Runs top-activations shards as Spark tasks: the driver cuts contexts, executors mine, the driver saves in order.
package dev.jlens.spark;

import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.jobs.JobDir;
import dev.jlens.model.jobs.TopActivations;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver reads the corpus and cuts contexts exactly as the local engine does (one global stream, so context
 * numbers match), groups not-yet-done shards into waves of {@code wave} shards, and runs each wave as one Spark job
 * of one task per shard; a task mines its shard on its executor's shared model and returns the serialized summary.
 * The driver saves each summary and marks it done in the job folder, so a rerun resumes. Memory on the driver: one
 * wave of contexts and summaries.
 */
final class SparkEngine implements TopActivations.ShardEngine {
    /** One shard to mine: its number and contexts. */
    private record Task(int shard, List<Context> contexts) implements Serializable {}

    /** A mined shard: its number and summary bytes. */
    private record Mined(int shard, byte[] summary) implements Serializable {}

    private final JavaSparkContext jsc;
    private final SparkJob job;
    private final int wave;

    SparkEngine(JavaSparkContext jsc, SparkJob job, int wave) {
        this.jsc = jsc;
        this.job = job;
        this.wave = wave;
    }

    @Override
    public int mineAll(ContextStream contexts, TopActivations.Options o, JobDir dir) {
        List<Task> pending = new ArrayList<>();
        List<Context> current = new ArrayList<>();
        int shard = 0;
        for (Context c = contexts.next(); c != null; c = contexts.next()) {
            current.add(c);
            if (current.size() == o.shardContexts()) {
                shard = enqueue(pending, current, shard, dir);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            shard = enqueue(pending, current, shard, dir);
        }
        runWave(pending, dir);
        return shard;
    }

    private int enqueue(List<Task> pending, List<Context> contexts, int shard, JobDir dir) {
        if (!dir.isDone(shard)) {
            pending.add(new Task(shard, contexts));
        }
        if (pending.size() == wave) {
            runWave(pending, dir);
        }
        return shard + 1;
    }

    private void runWave(List<Task> pending, JobDir dir) {
        if (pending.isEmpty()) {
            return;
        }
        SparkJob spec = job;
        List<Mined> mined = jsc.parallelize(new ArrayList<>(pending), pending.size())
                .map(t -> new Mined(t.shard(), TopActivations.mineShard(ModelCache.get(spec.model(),
                        spec.noProcessing()), spec.options(), t.contexts())))
                .collect();
        for (Mined m : mined) {
            TopActivations.saveShard(dir, m.shard(), m.summary());
            dir.markDone(m.shard());
        }
        pending.clear();
    }
}
