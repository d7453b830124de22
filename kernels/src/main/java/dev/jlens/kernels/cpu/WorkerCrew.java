// A fixed crew of helper threads that spin briefly between jobs, so back-to-back kernels start together.
package dev.jlens.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs tasks 0..n-1 of a job exactly once each on the calling thread plus {@code threads - 1} helpers,
 * which take task indices from a shared counter so uneven tasks balance themselves.
 *
 * <p>Between jobs a helper spins for {@code spinNanos} before it parks, as OpenBLAS's threads do: a parked
 * thread on a virtual machine can take tens of microseconds (or a whole scheduler slice) to wake, which is
 * a large share of a millisecond-sized matmul. The caller waits for the last task the same way.
 *
 * <p>One job runs at a time. A call made while a job is running (a nested call from inside a task, or a
 * second caller thread) runs its tasks inline on its own thread. The first exception a task throws stops
 * the job from starting further tasks and is rethrown to the caller once the running tasks have ended.
 */
final class WorkerCrew implements AutoCloseable {
    private final long spinNanos;
    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean[] parked;
    private volatile Job current;
    private volatile boolean closed;
    private long jobsStarted;

    /** Starts {@code threads - 1} daemon helpers named {@code name-1..}; they idle until the first job. */
    WorkerCrew(String name, int threads, long spinNanos) {
        if (threads < 1 || spinNanos < 0) {
            throw new IllegalArgumentException("WorkerCrew needs threads >= 1 and spinNanos >= 0, got threads="
                    + threads + ", spinNanos=" + spinNanos);
        }
        this.spinNanos = spinNanos;
        this.helpers = new Thread[threads - 1];
        this.parked = new AtomicBoolean[threads - 1];
        for (int h = 0; h < helpers.length; h++) {
            int slot = h;
            parked[h] = new AtomicBoolean();
            helpers[h] = Thread.ofPlatform().name(name + "-" + (h + 1)).daemon().unstarted(() -> helperLoop(slot));
            helpers[h].start();
        }
    }

    /** Runs {@code task.accept(i)} for every i in [0, n); returns when all have ended. */
    void parallelFor(int n, IntConsumer task) {
        if (n <= 1 || helpers.length == 0 || closed || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        try {
            Job job = new Job(++jobsStarted, n, task, Thread.currentThread());
            current = job;
            for (int h = 0; h < helpers.length; h++) {
                if (parked[h].get()) {
                    LockSupport.unpark(helpers[h]);
                }
            }
            job.drain();
            job.awaitDone(spinNanos);
            current = null;
            job.rethrow();
        } finally {
            busy.set(false);
        }
    }

    /** Stops the helpers once they are idle; later calls run inline. */
    @Override
    public void close() {
        closed = true;
        for (Thread helper : helpers) {
            LockSupport.unpark(helper);
        }
    }

    // Keeps only the number of the last job it joined, so an ended job's task can be collected.
    private void helperLoop(int slot) {
        long joined = 0;
        while (!closed) {
            Job job = current;
            if (isNewJob(job, joined)) {
                joined = job.id;
                job.drain();
                continue;
            }
            awaitNewJob(slot, joined);
        }
    }

    // Spins up to spinNanos for a job numbered after `joined`, then parks until parallelFor or close unparks it.
    private void awaitNewJob(int slot, long joined) {
        long deadline = System.nanoTime() + spinNanos;
        while (!isNewJob(current, joined)) {
            if (closed) {
                return;
            }
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
                continue;
            }
            parked[slot].set(true);
            if (!isNewJob(current, joined)) {
                LockSupport.park(this);
            }
            parked[slot].set(false);
            deadline = System.nanoTime() + spinNanos;
        }
    }

    private static boolean isNewJob(Job job, long joined) {
        return job != null && job.id != joined;
    }

    /** One parallelFor call: its task counter, its completion count and its first failure. */
    private static final class Job {
        private final long id;
        private final int n;
        private final IntConsumer task;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean callerParked;

        Job(long id, int n, IntConsumer task, Thread caller) {
            this.id = id;
            this.n = n;
            this.task = task;
            this.caller = caller;
        }

        // Claims and runs tasks until none are left; after a failure, claimed tasks are only counted.
        void drain() {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        task.accept(i);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (ended.incrementAndGet() == n && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        // Spins up to spinNanos for the helpers' last tasks, then parks until the last one unparks it.
        void awaitDone(long spinNanos) {
            long deadline = System.nanoTime() + spinNanos;
            while (ended.get() < n) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true;
                if (ended.get() < n) {
                    LockSupport.park(this);
                }
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("a parallel kernel task failed", t);
            }
        }
    }
}
