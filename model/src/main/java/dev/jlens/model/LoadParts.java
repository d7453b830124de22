// Runs the parts of a load (unembedding, embeddings, blocks) on a few threads, or inline on the caller's thread.
package dev.jlens.model;

import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Each part is single-threaded arithmetic on keys of its own (packing is parallel inside), so a few parts at once keep
 * the cores busy; the number of threads bounds how many parts' intermediates are alive at once. Inline mode is for
 * weights that only the caller's thread may read (views of a confined arena).
 */
final class LoadParts implements AutoCloseable {
    private final ExecutorService pool; // null when inline
    private final Backend backend;
    private final String model;

    /** {@code threads} parts at once on {@code backend}, or each part inline when {@code inline}. */
    LoadParts(int threads, boolean inline, Backend backend, String model) {
        this.pool = inline ? null : Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("jlens-load-", 1).daemon().factory());
        this.backend = backend;
        this.model = model;
    }

    /** Starts {@code part} (inline: runs it now); its result or failure comes from {@link #join}. */
    <T> Future<T> submit(Callable<T> part) {
        if (pool == null) {
            FutureTask<T> now = new FutureTask<>(part);
            now.run();
            return now;
        }
        return pool.submit(() -> {
            try (Backends.Scope on = Backends.use(backend)) {
                return part.call();
            }
        });
    }

    /** The part's result; its exception or error is rethrown as it was thrown. */
    <T> T join(Future<T> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + model, e);
        }
    }

    /** Stops the threads (parts still running are interrupted: they were abandoned by a failure). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
