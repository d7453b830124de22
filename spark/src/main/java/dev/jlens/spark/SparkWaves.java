// Runs numbered tasks on Spark executors in waves, two waves in flight, and hands each result to the driver.
package dev.jlens.spark;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Tasks are queued with {@link #add}; every {@code wave} tasks become one Spark job (one partition per task). While
 * a wave runs, the next is submitted too, so executors never idle at a wave's end; the driver then waits for the
 * older wave and hands its results, in task order, to the sink. Driver memory: two waves of tasks and results. The
 * first failure cancels the waves in flight and is rethrown.
 *
 * @param <T> a task
 * @param <R> its result
 */
final class SparkWaves<T extends Serializable, R extends Serializable> {
    /** What the driver does with a finished task's result (e.g. store it and mark it done). */
    @FunctionalInterface
    interface Sink<R> {
        /** Takes the result of task {@code index}. */
        void accept(int index, R result);
    }

    /** A task or a result with its number. */
    private record Numbered<V>(int index, V value) implements Serializable {}

    private final JavaSparkContext jsc;
    private final int wave;
    private final Function<T, R> work;
    private final Sink<R> sink;
    private final List<Numbered<T>> pending = new ArrayList<>();
    private final ArrayDeque<JavaFutureAction<List<Numbered<R>>>> inFlight = new ArrayDeque<>();

    /** Runs {@code work} (serializable: it travels to the executors) on waves of {@code wave} tasks. */
    SparkWaves(JavaSparkContext jsc, int wave, Function<T, R> work, Sink<R> sink) {
        if (wave < 1) {
            throw new IllegalArgumentException("a wave holds at least one task, got " + wave);
        }
        this.jsc = jsc;
        this.wave = wave;
        this.work = work;
        this.sink = sink;
    }

    /** Queues task {@code index}; submits a wave when one is full (and waits for the one before it). */
    void add(int index, T task) {
        pending.add(new Numbered<>(index, task));
        if (pending.size() == wave) {
            submit();
        }
    }

    /** Submits what is queued and waits for every wave. */
    void finish() {
        if (!pending.isEmpty()) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            drainOldest();
        }
    }

    private void submit() {
        Function<T, R> w = work; // the lambda below must not capture this (not serializable)
        inFlight.add(jsc.parallelize(new ArrayList<>(pending), pending.size())
                .map(t -> new Numbered<>(t.index(), w.call(t.value()))).collectAsync());
        pending.clear();
        while (inFlight.size() > 1) {
            drainOldest();
        }
    }

    private void drainOldest() {
        List<Numbered<R>> done;
        try {
            done = inFlight.peek().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new IllegalStateException("interrupted while waiting for Spark", e));
        } catch (ExecutionException e) {
            throw fail(e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("a Spark task failed: " + e.getCause(), e.getCause()));
        }
        inFlight.poll();
        for (Numbered<R> r : done) {
            sink.accept(r.index(), r.value());
        }
    }

    private RuntimeException fail(RuntimeException e) {
        for (JavaFutureAction<?> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        return e;
    }
}
