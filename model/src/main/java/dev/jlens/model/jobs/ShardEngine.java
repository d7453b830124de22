// Where a corpus job's shards run: worker threads of this JVM (the local engine) or elsewhere (the Spark module).
package dev.jlens.model.jobs;

import dev.jlens.model.dataset.ContextStream;

/**
 * Runs the shards of a job's contexts that its folder does not list as done, storing each shard's file in the folder
 * (through the job's {@code saveShard}) and then marking it done. Shard s is contexts [s * shard, (s + 1) * shard)
 * whatever the engine, so every engine writes the same files.
 *
 * @param <O> the job's options
 */
@FunctionalInterface
public interface ShardEngine<O> {
    /** Runs the shards of {@code contexts} not done in {@code dir}; returns the corpus's shard count. */
    int runAll(ContextStream contexts, O options, JobDir dir);
}
