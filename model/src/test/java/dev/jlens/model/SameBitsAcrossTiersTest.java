// One arithmetic across JIT tiers: the interpreter and C2 give a forward and a backward the same bits.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link TierProbe} (a fused forward, and an unfused one observing every hook) in two fresh JVMs: one
 * interpreting only ({@code -Xint}: the Vector API falls back to its Java loops), one after enough repetitions that
 * C2 has compiled the kernels. The logits and a gradient must be identical: the kernels use no operation whose result
 * depends on the tier (the Vector API's EXP, LOG, TANH and float reduceLanes(ADD) did).
 */
class SameBitsAcrossTiersTest {
    @TempDir
    Path tmp;

    @Test
    void interpretedAndCompiledForwardsAgreeToTheBit() throws Exception {
        float[] interpreted = run(List.of("-Xint"), 1, "int.npy");
        float[] compiled = run(List.of(), 400, "c2.npy");
        assertEquals(interpreted.length, compiled.length);
        assertArrayEquals(interpreted, compiled);
    }

    private float[] run(List<String> flags, int reps, String out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), TierProbe.class.getName(), String.valueOf(reps),
                tmp.resolve(out).toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", flags) + " child failed:\n" + log);
        return Npy.read(tmp.resolve(out)).toArray();
    }
}
