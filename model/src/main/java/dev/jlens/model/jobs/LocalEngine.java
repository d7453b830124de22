// The embedded engine: reads contexts on the calling thread, cuts them into shards, runs shards on worker threads.
package dev.jlens.model.jobs;

import dev.jlens.model.dataset.Context;
import dev.jlens.model.dataset.ContextStream;
import dev.jlens.model.dataset.TokenProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shard s holds contexts [s * shardContexts, (s + 1) * shardContexts) (the last may be short), a fixed cut, so
 * results do not depend on the thread count. Shards already done in the job folder are skipped (their contexts are
 * still read, to keep the cut). At most two shards per thread are in flight, so memory does not grow with the
 * corpus. The first failure stops the run and is rethrown.
 */
public final class LocalEngine {
    /** What a job does with one shard, on a worker thread; its results must be complete when it returns. */
    @FunctionalInterface
    public interface ShardWork {
        /** Processes shard {@code shard} made of {@code contexts} (in order). */
        void process(int shard, List<Context> contexts) throws Exception;
    }

    private LocalEngine() {}

    /** Runs {@code work} over every shard of {@code contexts} not done in {@code dir}; returns the shard count. */
    public static int run(ContextStream contexts, int shardContexts, int threads, JobDir dir, ShardWork work,
            TokenProgress progress) {
        if (shardContexts < 1 || threads < 1) {
            throw new IllegalArgumentException("shard size and thread count must be at least 1, got "
                    + shardContexts + " and " + threads);
        }
        Semaphore inFlight = new Semaphore(2 * threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int shard = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                .name("jlens-shard-", 0).factory())) {
            List<Context> current = new ArrayList<>(shardContexts);
            for (Context c = contexts.next(); c != null && failure.get() == null; c = contexts.next()) {
                current.add(c);
                if (current.size() == shardContexts) {
                    submit(pool, inFlight, failure, dir, work, shard++, current, progress);
                    current = new ArrayList<>(shardContexts);
                }
            }
            if (!current.isEmpty() && failure.get() == null) {
                submit(pool, inFlight, failure, dir, work, shard++, current, progress);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t != null) {
            throw new IllegalStateException("shard failed: " + t, t);
        }
        return shard;
    }

    private static void submit(ExecutorService pool, Semaphore inFlight, AtomicReference<Throwable> failure,
            JobDir dir, ShardWork work, int shard, List<Context> contexts, TokenProgress progress) {
        if (dir.isDone(shard)) {
            return;
        }
        inFlight.acquireUninterruptibly();
        pool.execute(() -> {
            try {
                if (failure.get() == null) {
                    work.process(shard, contexts);
                    dir.markDone(shard);
                    progress.add(contexts.size(), contexts.getFirst().tokens().length);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release();
            }
        });
    }
}
