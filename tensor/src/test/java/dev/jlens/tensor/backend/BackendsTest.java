// Backend choice: priority order, forced names, unavailable and unknown backends with their messages.
package dev.jlens.tensor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class BackendsTest {
    /** A backend that only answers the registry's questions; ops are never called here. */
    private static Backend fake(String name, int priority, String unavailable) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name", "describe", "toString" -> name;
                    case "priority" -> priority;
                    case "unavailableReason" -> unavailable;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final Backend cuda = fake("cuda", 100, "no CUDA driver");
    private final Backend cpu = fake("cpu", 50, null);
    private final Backend scalar = fake("scalar", 0, null);
    private final List<Backend> all = List.of(cuda, cpu, scalar);

    @Test
    void highestAvailablePriorityWins() {
        assertSame(cpu, Backends.select(all, null));
        assertSame(cpu, Backends.select(all, " "));
    }

    @Test
    void forcedNameWinsCaseInsensitively() {
        assertSame(scalar, Backends.select(all, "SCALAR"));
    }

    @Test
    void forcingAnUnavailableBackendSaysWhyAndWhatWorks() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select(all, "cuda"));
        assertTrue(e.getMessage().contains("no CUDA driver") && e.getMessage().contains("cpu, scalar"),
                e.getMessage());
    }

    @Test
    void forcingAnUnknownBackendListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.select(all, "tpu"));
        assertEquals("unknown backend 'tpu'; known: cuda, cpu, scalar", e.getMessage());
    }

    @Test
    void noUsableBackendIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select(List.of(cuda), null));
        assertTrue(e.getMessage().contains("no CUDA driver"), e.getMessage());
    }

    @Test
    void fallingBackPastTheCpuIsAWarningWithTheReason() {
        Backend noVectors = fake("cpu", 50, "add --add-modules=jdk.incubator.vector");
        List<LogRecord> log = logged(() -> assertSame(scalar, Backends.select(List.of(cuda, noVectors, scalar), null)));
        assertEquals(1, log.size());
        assertEquals(Level.WARNING, log.get(0).getLevel());
        assertEquals("jlens backend: scalar, the slow fallback; skipped cuda (no CUDA driver), "
                + "cpu (add --add-modules=jdk.incubator.vector)", log.get(0).getMessage());
    }

    @Test
    void fallingBackFromCudaToTheCpuIsInfo() {
        List<LogRecord> log = logged(() -> assertSame(cpu, Backends.select(all, null)));
        assertEquals(1, log.size());
        assertEquals(Level.INFO, log.get(0).getLevel());
        assertEquals("jlens backend: cpu; skipped cuda (no CUDA driver)", log.get(0).getMessage());
    }

    /** The records the registry's logger publishes while {@code body} runs (System.Logger goes to JUL here). */
    private static List<LogRecord> logged(Runnable body) {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("dev.jlens.backend");
        logger.addHandler(capture);
        try {
            body.run();
        } finally {
            logger.removeHandler(capture);
        }
        return records;
    }

    @Test
    void useOverridesForThisThreadAndRestores() {
        try (Backends.Scope outer = Backends.use(scalar)) {
            assertSame(scalar, Backends.current());
            try (Backends.Scope inner = Backends.use(cpu)) {
                assertSame(cpu, Backends.current());
            }
            assertSame(scalar, Backends.current());
        }
    }

    @Test
    void tensorOpsDispatchToTheCurrentBackend() {
        try (Backends.Scope s = Backends.use(cpu)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Tensor.zeros(2).exp());
            assertEquals("unary", e.getMessage());
        }
    }
}
