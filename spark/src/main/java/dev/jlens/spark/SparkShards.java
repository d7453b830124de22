// A corpus job's shards as Spark tasks: the driver cuts contexts as the local engine, executors compute each shard.
package dev.jlens.spark;

import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.jobs.JobDir;
import dev.jlens.model.jobs.ShardEngine;
import java.util.ArrayList;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * The driver reads the corpus and cuts contexts exactly as the local engine does (one global stream, so context and
 * shard numbers match), ships each shard not done in the job folder as a task ({@link SparkWaves}); a task computes
 * the shard's file bytes on its executor's shared model, and the driver stores them with the job's saver and marks
 * the shard done, so a rerun resumes.
 *
 * @param <O> the job's options
 */
final class SparkShards<O> implements ShardEngine<O> {
    /** Stores a shard's bytes in the job folder (the job's {@code saveShard}). */
    @FunctionalInterface
    interface Saver {
        /** Stores {@code bytes} as shard {@code shard} of {@code dir}. */
        void save(JobDir dir, int shard, byte[] bytes);
    }

    private final JavaSparkContext jsc;
    private final int shardContexts;
    private final int wave;
    private final Function<ArrayList<Context>, byte[]> work;
    private final Saver saver;

    /** Shards of {@code shardContexts} contexts, {@code wave} per Spark job, each computed by {@code work}. */
    SparkShards(JavaSparkContext jsc, int shardContexts, int wave, Function<ArrayList<Context>, byte[]> work,
            Saver saver) {
        this.jsc = jsc;
        this.shardContexts = shardContexts;
        this.wave = wave;
        this.work = work;
        this.saver = saver;
    }

    @Override
    public int runAll(ContextStream contexts, O options, JobDir dir) {
        SparkWaves<ArrayList<Context>, byte[]> waves = new SparkWaves<>(jsc, wave, work, (shard, bytes) -> {
            saver.save(dir, shard, bytes);
            dir.markDone(shard);
        });
        ArrayList<Context> current = new ArrayList<>();
        int shard = 0;
        for (Context c = contexts.next(); c != null; c = contexts.next()) {
            current.add(c);
            if (current.size() == shardContexts) {
                if (!dir.isDone(shard)) {
                    waves.add(shard, current);
                }
                shard++;
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            if (!dir.isDone(shard)) {
                waves.add(shard, current);
            }
            shard++;
        }
        waves.finish();
        return shard;
    }
}
