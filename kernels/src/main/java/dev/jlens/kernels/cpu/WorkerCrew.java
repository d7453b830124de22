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
 *
 * <p>With k calls inside parallelFor at once (each computing on its own thread), a job takes at most
 * {@code threads / k - 1} helpers, so the threads at work stay within {@code threads}: two callers on a crew of
 * two threads each compute alone, where a helper would make three threads share two cores. Helpers a job leaves
 * out park at once instead of spinning.
 */
final class WorkerCrew implements AutoCloseable {
    private final long spinNanos;
    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger callers = new AtomicInteger(); // calls inside parallelFor, nested ones included
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
        int share = (helpers.length + 1) / callers.incrementAndGet() - 1; // helpers this call may take
        try {
            if (n <= 1 || share <= 0 || closed || !busy.compareAndSet(false, true)) {
                for (int i = 0; i < n; i++) {
                    task.accept(i);
                }
                return;
            }
            try {
                runWithHelpers(new Job(++jobsStarted, n, task, Thread.currentThread(), share));
            } finally {
                busy.set(false);
            }
        } finally {
            callers.decrementAndGet();
        }
    }

    // Publishes the job to helpers 0..job.helpers-1, works on it, and waits for the helpers' last tasks.
    private void runWithHelpers(Job job) {
        current = job;
        for (int h = 0; h < job.helpers; h++) {
            if (parked[h].get()) {
                LockSupport.unpark(helpers[h]);
            }
        }
        job.drain();
        job.awaitDone(spinNanos);
        current = null;
        job.rethrow();
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
        boolean leftOut = false;
        while (!closed) {
            Job job = current;
            if (isNewJob(job, joined)) {
                joined = job.id;
                leftOut = slot >= job.helpers;
                if (!leftOut) {
                    job.drain();
                    continue;
                }
            }
            awaitNewJob(slot, joined, leftOut ? 0 : spinNanos);
        }
    }

    // Spins up to `spin` ns for a job numbered after `joined`, then parks until parallelFor or close unparks it.
    private void awaitNewJob(int slot, long joined, long spin) {
        long deadline = System.nanoTime() + spin;
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
            deadline = System.nanoTime() + spin;
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
        private final int helpers; // helpers 0..helpers-1 take part
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean callerParked;

        Job(long id, int n, IntConsumer task, Thread caller, int helpers) {
            this.id = id;
            this.n = n;
            this.task = task;
            this.caller = caller;
            this.helpers = helpers;
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
