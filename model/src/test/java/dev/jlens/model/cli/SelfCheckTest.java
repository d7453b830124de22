// ./jlens selfcheck's table: the settings rows read from their sources, the kernel rows and the verdict.
package dev.jlens.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.backend.Backends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class SelfCheckTest {
    private static List<String> table(String backend) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean ok = SelfCheck.run(Backends.byName(backend), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertTrue(ok, buffer.toString(StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String value(List<String> table, String label) {
        return table.stream().filter(l -> l.startsWith("  " + label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + label + "' in\n" + String.join("\n", table)))
                .substring(2 + label.length()).strip();
    }

    @Test
    void cpuTableNamesTheWidthThreadsHugePagesAndCudaStatus() {
        List<String> table = table("cpu");
        assertEquals("jlens selfcheck", table.getFirst());
        boolean forced = System.getProperty("jlens.vectorBits") != null;
        if (!forced) { // the surefire executions that force a width run kernels' tests, not these
            assertTrue(value(table, "vector width").startsWith(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit"),
                    value(table, "vector width"));
        }
        if (System.getProperty("jlens.threads") == null) {
            assertTrue(value(table, "worker threads").startsWith(Runtime.getRuntime().availableProcessors() + " "),
                    value(table, "worker threads"));
        }
        assertTrue(value(table, "transparent huge pages").matches("kernel \\S.*; JVM -XX:[+-]UseTransparentHugePages"),
                value(table, "transparent huge pages"));
        assertTrue(value(table, "CUDA").startsWith("available: cuda (") || value(table, "CUDA").startsWith(
                "unavailable: "), value(table, "CUDA"));
        assertEquals("passed: 7 of 7 kernels within tolerance", value(table, "result"));
    }

    @Test
    void kernelRowsCompareTheBackendWithTheOracle() {
        List<String> table = table("scalar");
        assertEquals("1", value(table, "worker threads"));
        // the oracle against itself: the same loops, so exactly equal
        assertEquals("max |scalar - scalar| 0.00e+00 (tol 1e-04)  ok", value(table, "matmul [24x768]·[768x3072]"));
    }

    @Test
    void aDifferenceBeyondTheToleranceOrNanFails() {
        assertTrue(new KernelChecks.Result("op", KernelChecks.TOLERANCE).ok());
        assertFalse(new KernelChecks.Result("op", 2 * KernelChecks.TOLERANCE).ok());
        assertFalse(new KernelChecks.Result("op", Double.NaN).ok());
    }
}
