// One model shared by threads: every run sees only its own hooks, and every result equals the single-threaded one.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookHandle;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.analysis.Ablation;
import dev.jlens.model.builtin.InductionModel;
import dev.jlens.model.patching.PatchMetric;
import dev.jlens.model.patching.PatchType;
import dev.jlens.model.patching.Patching;
import dev.jlens.model.pretrained.Pretrained;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The embedder's case from issue 16: 4 threads, 400 mixed runs on one induction-2l model (plain
 * forwards, runs with a replacing hook that zero-ablates L1H5's z, runs with a cache filtered to the patterns, fast
 * resid_pre patching sweeps). Each kind's single-threaded result is computed first; every concurrent result must
 * equal it to the bit, though the first ran cold and later ones compiled (the kernels give the same bits in every
 * JIT tier). The ablation visibly changes the logits, so a leaked or lost hook cannot go unnoticed.
 */
class ConcurrentRunsTest {
    private static final int THREADS = 4;
    private final HookedGpt2 model = Pretrained.load(InductionModel.NAME);
    private final int[][] tokens = TinyModels.tokens(2, 8, 50257, 7);
    private final int[][] corrupted = TinyModels.tokens(2, 8, 50257, 8);
    private final List<FwdHook> ablate = List.of(Ablation.zeroHead(1, 5));
    private final PatchMetric metric = logits -> logits.select(1, 7).select(1, 0).sum(0).item();

    private float[] forward() {
        return model.forward(tokens).toArray();
    }

    private float[] ablated() {
        return model.runWithHooks(tokens, ablate).toArray();
    }

    private float[] patterns() {
        return model.runWithCache(tokens, NameFilter.endsWith("hook_pattern"), false, RunOptions.defaults()).cache()
                .get("blocks.1.attn.hook_pattern").toArray();
    }

    private float[] patching() {
        return Patching.actPatch(model, tokens, corrupted, metric, PatchType.of("resid_pre", false), true).toArray();
    }

    @Test
    void mixedRunsOnSharedModelEqualTheSingleThreadedResults() throws Exception {
        List<Supplier<float[]>> kinds = List.of(this::forward, this::ablated, this::patterns, this::patching);
        List<float[]> want = kinds.stream().map(Supplier::get).toList();
        assertFalse(java.util.Arrays.equals(want.get(0), want.get(1)), "the ablation must change the logits");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                got.add(pool.submit(kinds.get(kind(i))::get));
            }
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(want.get(kind(i)), got.get(i).get(60, TimeUnit.SECONDS), "task " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Task i's kind: a patching sweep (24 passes) every 8th task, the three single runs in turn otherwise. */
    private static int kind(int i) {
        return i % 8 == 7 ? 3 : i % 3;
    }

    @Test
    void persistentHooksComeAndGoWhileOtherThreadsRun() throws Exception {
        float[] plain = forward();
        float[] ablatedWant = ablated();
        float[] patternsWant = patterns();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger observed = new AtomicInteger();
        Thread churn = Thread.ofPlatform().start(() -> { // observing persistent hooks: they change no value
            while (!stop.get()) {
                try (HookHandle h = model.addHook("blocks.0.hook_resid_pre", (act, hook) -> {
                    observed.incrementAndGet();
                    return null;
                })) {
                    Thread.onSpinWait();
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int kind = i % 3;
                runs.add(pool.submit(() -> {
                    float[] want = kind == 0 ? plain : kind == 1 ? ablatedWant : patternsWant;
                    float[] got = kind == 0 ? forward() : kind == 1 ? ablated() : patterns();
                    assertArrayEquals(want, got);
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            churn.join();
            pool.shutdownNow();
        }
        assertTrue(observed.get() > 0, "the persistent hook never fired: the test proves nothing about concurrency");
        assertFalse(model.hookPoint("blocks.0.hook_resid_pre").hasHooks(), "every persistent hook was removed");
    }

    @Test
    void aPersistentReplacingHookReachesEveryThreadAndScopesStayWithTheirThread() throws Exception {
        float[] ablatedWant = ablated();
        try (HookHandle h = model.addHook(Ablation.zName(1), Ablation.zeroHeadFn(5))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                assertArrayEquals(ablatedWant, pool.submit(this::forward).get(), "model-wide hooks apply to all");
            } finally {
                pool.shutdownNow();
            }
        }
        try (HookHandle scope = model.hooks(ablate)) {
            assertTrue(model.hookPoint(Ablation.zName(1)).hasHooks());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                assertFalse(pool.submit(() -> model.hookPoint(Ablation.zName(1)).hasHooks()).get());
                float[] other = pool.submit(this::forward).get();
                assertFalse(java.util.Arrays.equals(ablatedWant, other), "another thread saw this thread's scope");
                Throwable e = assertThrows(java.util.concurrent.ExecutionException.class, () -> pool.submit(() -> {
                    scope.close();
                    return null;
                }).get()).getCause();
                assertTrue(e instanceof IllegalStateException && e.getMessage().contains("on the thread that opened"),
                        String.valueOf(e));
            } finally {
                pool.shutdownNow();
            }
            assertArrayEquals(ablatedWant, forward(), "this thread's scope still applies");
        }
        assertEquals(0, model.hookNames().stream().filter(n -> model.hookPoint(n).hasHooks()).count());
    }
}
