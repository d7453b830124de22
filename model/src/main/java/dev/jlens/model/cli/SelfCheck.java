// ./jlens selfcheck: one table of the runtime settings and of each hot kernel against the scalar oracle.
package dev.jlens.model.cli;

import dev.jlens.tensor.backend.Backend;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Prints, in one two-column table, what a run depends on ({@link RuntimeFacts}: backend, vector width, worker
 * threads, huge pages, CUDA) and each hot op on the backend in use against the scalar oracle
 * ({@link KernelChecks}), then the verdict.
 */
final class SelfCheck {
    private static final String ROW = "  %-30s %s%n";

    private SelfCheck() {}

    /** Prints the table; returns true when every kernel is within tolerance. */
    static boolean run(Backend backend, PrintStream out) {
        out.println("jlens selfcheck");
        for (Map.Entry<String, String> fact : RuntimeFacts.of(backend).entrySet()) {
            out.printf(ROW, fact.getKey(), fact.getValue());
        }
        List<KernelChecks.Result> results = KernelChecks.run(backend);
        for (KernelChecks.Result r : results) {
            out.printf(ROW, r.op(), "max |%s - scalar| %.2e (tol %.0e)  %s".formatted(backend.name(),
                    r.maxAbsDiff(), KernelChecks.TOLERANCE, r.ok() ? "ok" : "FAIL"));
        }
        long passed = results.stream().filter(KernelChecks.Result::ok).count();
        boolean ok = passed == results.size();
        out.printf(ROW, "result", (ok ? "passed" : "FAILED") + ": " + passed + " of " + results.size()
                + " kernels within tolerance");
        return ok;
    }
}
