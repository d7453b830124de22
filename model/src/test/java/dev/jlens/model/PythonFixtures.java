// Test fixtures made by the committed Python scripts (python3 + numpy), written once per build under target/.
package dev.jlens.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs scripts/fixtures/*.py and scripts/reference/*.py from the repository root. Without python3 + numpy a test
 * using them is skipped with a hint naming the script, except in CI (CI=true), where that is a failure.
 */
public final class PythonFixtures {
    /** The repository root (surefire runs in the module folder). */
    public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private PythonFixtures() {}

    /**
     * An HF-layout checkpoint of {@code preset} ("gpt2" or "tiny") with seed 0, made once (the script writes it again
     * when the folder holds another preset or an older layout).
     */
    public static Path checkpoint(String preset) throws IOException, InterruptedException {
        Path folder = ROOT.resolve("model/target/fixtures/" + preset + "-random");
        run("python3", "scripts/fixtures/make_gpt2_checkpoint.py", "--out", folder.toString(), "--preset", preset,
                "--seed", "0", "--if-stale");
        return folder;
    }

    /** Runs a command in the repository root; skips (or fails in CI) when it cannot run or exits non-zero. */
    public static void run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(ROOT.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            skipOrFail("cannot start " + command[0] + " (" + e.getMessage() + ")");
            return;
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            skipOrFail(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static void skipOrFail(String why) {
        String hint = "HINT: this test needs python3 with numpy for the scripts under scripts/fixtures and "
                + "scripts/reference: " + why;
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(hint);
        }
        Assumptions.abort(hint);
    }
}
