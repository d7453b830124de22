// Without a GPU: a one-line reason, the CPU chosen instead, and -Djlens.backend=cuda a clear error, never a crash.
package dev.jlens.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs only where CUDA is unavailable (CI, laptops); on a GPU machine CudaDeviceTest covers the other side. */
class CudaUnavailableTest {
    @BeforeEach
    void noGpuHere() {
        assumeFalse(Cuda.available(), "a CUDA device is usable here; these tests cover machines without one");
    }

    @Test
    void theReasonIsOneLineAndNamesWhatIsMissing() {
        String why = Cuda.unavailableReason();
        assertNotNull(why);
        assertFalse(why.contains("\n"), why);
        assertTrue(why.contains("libcuda.so.1") || why.contains("CUDA_ERROR") || why.contains("PTX")
                || why.contains("cuBLAS"), why);
    }

    @Test
    void theRegistryListsCudaButSelectsAnotherBackend() {
        Backend cuda = Backends.all().stream().filter(b -> b.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(Cuda.unavailableReason(), cuda.unavailableReason());
        assertTrue(cuda.priority() > Backends.byName("cpu").priority(), "cuda must win where it can run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.byName("cuda"));
        assertTrue(e.getMessage().contains("backend 'cuda' was requested but cannot run here: "
                + Cuda.unavailableReason()), e.getMessage());
    }

    @Test
    void opsOnTheUnavailableBackendThrowTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CudaBackend().zeros(2, 3));
        assertEquals("CUDA is not available: " + Cuda.unavailableReason(), e.getMessage());
    }

    @Test
    void aFreshJvmFallsBackToTheCpuWithOneLogLine() throws Exception {
        Run run = java();
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("cpu 6.0"), run.output);
        assertTrue(run.output.contains("skipped") && run.output.contains("cuda (" + Cuda.unavailableReason() + ")"),
                run.output);
        assertEquals(1, run.output.lines().filter(l -> l.contains("jlens backend:")).count(), run.output);
    }

    @Test
    void aFreshJvmForcedToCudaFailsWithTheReasonAndDoesNotCrash() throws Exception {
        Run run = java("-Djlens.backend=cuda");
        assertEquals(1, run.exit, "an uncaught exception, not a VM crash: " + run.output);
        assertTrue(run.output.contains("backend 'cuda' was requested but cannot run here: "), run.output);
        assertTrue(run.output.contains(Cuda.unavailableReason()), run.output);
        assertFalse(run.output.contains("A fatal error has been detected"), run.output);
    }

    private record Run(int exit, String output) {}

    private static Run java(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(flags));
        cmd.add(SelectBackendMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung: " + out);
        return new Run(p.exitValue(), out);
    }
}
