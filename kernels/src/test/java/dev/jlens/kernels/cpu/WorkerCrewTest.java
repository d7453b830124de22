// WorkerCrew: every task once, failures reach the caller, nested and rival callers run inline, helpers always wake.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WorkerCrewTest {
    private static final Duration HANG = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} threads, spin {1} us")
    @CsvSource({"1,0", "2,0", "2,1000", "4,0", "4,50"})
    void everyTaskRunsExactlyOnceOverManyJobs(int threads, long spinMicros) {
        try (WorkerCrew crew = new WorkerCrew("test-crew", threads, TimeUnit.MICROSECONDS.toNanos(spinMicros))) {
            // 3000 short jobs back to back: a lost wake-up between park and publish would hang here.
            assertTimeoutPreemptively(HANG, () -> {
                for (int job = 0; job < 3000; job++) {
                    int n = job % 37;
                    AtomicIntegerArray runs = new AtomicIntegerArray(n);
                    crew.parallelFor(n, runs::incrementAndGet);
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, runs.get(i), "job " + job + ": runs of task " + i + " of " + n);
                    }
                }
            });
        }
    }

    @Test
    void everyHelperWakesForEveryJob() {
        int threads = 3;
        try (WorkerCrew crew = new WorkerCrew("test-crew", threads, 0)) {
            // Each task waits until `threads` tasks have started, which needs every helper awake: a helper
            // that missed its wake-up (parked just as the job was published) hangs the job.
            assertTimeoutPreemptively(HANG, () -> {
                for (int job = 0; job < 500; job++) {
                    CountDownLatch started = new CountDownLatch(threads);
                    Set<String> names = ConcurrentHashMap.newKeySet();
                    crew.parallelFor(threads, i -> {
                        names.add(Thread.currentThread().getName());
                        started.countDown();
                        awaitUninterruptibly(started);
                    });
                    assertEquals(threads, names.size(), "job " + job + ": threads that ran the tasks: " + names);
                    assertTrue(names.contains(Thread.currentThread().getName()), "the caller runs tasks too: " + names);
                }
            });
        }
    }

    @Test
    void firstFailureReachesTheCallerAndTheCrewStaysUsable() {
        try (WorkerCrew crew = new WorkerCrew("test-crew", 2, 0)) {
            IllegalStateException boom = new IllegalStateException("task 7 failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> crew.parallelFor(50, i -> {
                if (i == 7) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            AtomicInteger after = new AtomicInteger();
            crew.parallelFor(50, i -> after.incrementAndGet());
            assertEquals(50, after.get(), "tasks run by the next job");
        }
    }

    @Test
    void errorsArriveUnwrapped() {
        try (WorkerCrew crew = new WorkerCrew("test-crew", 2, 0)) {
            AssertionError thrown = assertThrows(AssertionError.class, () -> crew.parallelFor(4, i -> {
                throw new AssertionError("task " + i);
            }));
            assertTrue(thrown.getMessage().startsWith("task "), thrown.getMessage());
        }
    }

    @Test
    void nestedCallsRunInlineOnTheTaskThread() {
        try (WorkerCrew crew = new WorkerCrew("test-crew", 2, 0)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(8 * 5);
            AtomicInteger foreignThreads = new AtomicInteger();
            assertTimeoutPreemptively(HANG, () -> crew.parallelFor(8, outer -> {
                Thread owner = Thread.currentThread();
                crew.parallelFor(5, i -> {
                    inner.incrementAndGet(outer * 5 + i);
                    if (Thread.currentThread() != owner) {
                        foreignThreads.incrementAndGet();
                    }
                });
            }));
            for (int i = 0; i < inner.length(); i++) {
                assertEquals(1, inner.get(i), "inner task " + i);
            }
            assertEquals(0, foreignThreads.get(), "inner tasks run on another thread than their outer task");
        }
    }

    @Test
    void twoCallerThreadsBothGetEveryTaskRun() throws InterruptedException {
        try (WorkerCrew crew = new WorkerCrew("test-crew", 2, 0)) {
            AtomicInteger wrong = new AtomicInteger();
            Runnable caller = () -> {
                for (int job = 0; job < 2000; job++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(16);
                    crew.parallelFor(16, runs::incrementAndGet);
                    for (int i = 0; i < 16; i++) {
                        if (runs.get(i) != 1) {
                            wrong.incrementAndGet();
                        }
                    }
                }
            };
            Thread a = Thread.ofPlatform().start(caller);
            Thread b = Thread.ofPlatform().start(caller);
            a.join(HANG);
            b.join(HANG);
            assertTrue(!a.isAlive() && !b.isAlive(), "two callers still running after " + HANG);
            assertEquals(0, wrong.get(), "tasks that did not run exactly once");
        }
    }

    @ParameterizedTest(name = "crew of {0} threads")
    @CsvSource({"2,1", "4,2"})
    void whileAnotherCallerComputesAJobTakesItsShareOfTheThreads(int threads, int share) throws Exception {
        try (WorkerCrew crew = new WorkerCrew("test-crew", threads, 0)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread rival = Thread.ofPlatform().start(() -> crew.parallelFor(1, i -> { // computes on its own thread
                inside.countDown();
                awaitUninterruptibly(release);
            }));
            inside.await();
            Set<String> names = ConcurrentHashMap.newKeySet();
            CountDownLatch started = new CountDownLatch(share); // the share must all take part, or this hangs
            assertTimeoutPreemptively(HANG, () -> crew.parallelFor(16, i -> {
                names.add(Thread.currentThread().getName());
                started.countDown();
                awaitUninterruptibly(started);
                LockSupport.parkNanos(2_000_000); // time for helpers beyond the share to join, were they called
            }));
            release.countDown();
            rival.join(HANG);
            assertEquals(share, names.size(), threads + " threads shared by 2 callers: threads that ran the job "
                    + names);
        }
    }

    @Test
    void closedCrewRunsInline() {
        WorkerCrew crew = new WorkerCrew("test-crew", 3, 0);
        crew.close();
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        crew.parallelFor(10, i -> ran.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), ran);
    }

    @Test
    void badSizesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WorkerCrew("x", 0, 0));
        assertTrue(e.getMessage().contains("threads=0"), e.getMessage());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
