// A JVM started without the Vector API module: the scalar backend still computes, and a WARNING names the flag.
package dev.jlens.kernels.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jlens.kernels.cuda.Cuda;
import dev.jlens.kernels.cuda.SelectBackendMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where a CUDA device is usable, cuda is chosen whatever the flag; this covers machines without one. */
class ScalarFallbackTest {
    @Test
    void aJvmWithoutTheFlagWarnsByNameAndRunsOnTheScalarBackend() throws Exception {
        assumeFalse(Cuda.available(), "a CUDA device is usable here, so the fallback is not the scalar backend");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SelectBackendMain.class.getName());
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung: " + out + err);
        assertEquals(0, p.exitValue(), err);
        assertEquals("scalar 6.0", out.strip(), err);
        List<String> backendLines = err.lines().filter(l -> l.contains("jlens backend:")).toList();
        assertEquals(1, backendLines.size(), err);
        assertTrue(backendLines.get(0).startsWith("WARNING: jlens backend: scalar"), err);
        assertTrue(backendLines.get(0).contains("add --add-modules=jdk.incubator.vector to the java command"), err);
    }
}
