// Each hot op on the backend in use against the scalar oracle, on GPT-2-small-shaped inputs.
package dev.jlens.model.cli;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Supplier;

/**
 * Runs each hot op once on a backend and once on the scalar oracle and compares the results. Shapes follow one
 * GPT-2 small layer on a 1 x 24 prompt (D 768, H 12, E 64, M 3072).
 */
final class KernelChecks {
    /** fp32 reordering over sums of K <= 3072 terms stays well below this. */
    static final double TOLERANCE = 1e-4;

    private KernelChecks() {}

    /** One op's result: max |backend - oracle| and whether it is within {@link #TOLERANCE}. */
    record Result(String op, double maxAbsDiff) {
        boolean ok() {
            return maxAbsDiff <= TOLERANCE; // NaN fails too
        }
    }

    /** Every op on {@code backend} and on the oracle, in a fixed order. */
    static List<Result> run(Backend backend) {
        Backend oracle = Backends.byName("scalar");
        Tensor x = Tensor.randn(1, 1, 24, 768);                       // [b, p, d_model]
        Tensor w = Tensor.randn(2, 768, 3072).scale(0.03f);            // [d_model, d_mlp]
        Tensor q = Tensor.randn(3, 1, 24, 12, 64);                     // [b, p, h, d_head]
        Tensor k = Tensor.randn(4, 1, 24, 12, 64);
        Tensor v = Tensor.randn(5, 1, 24, 12, 64);
        Tensor gamma = Tensor.randn(6, 768);                           // [d_model]
        SequencedMap<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        ops.put("matmul [24x768]·[768x3072]", () -> x.matmul(Backends.current().prepareWeight(w)));
        ops.put("causal attention 12 heads", () -> Backends.current().causalAttention(q, k, v, null, 0.125f));
        ops.put("layer_norm d_model 768", () -> x.layerNorm(gamma, gamma, 1e-5f));
        ops.put("gelu_new", () -> x.scale(3f).geluNew());
        ops.put("softmax over 768", () -> x.scale(4f).softmax(-1));
        ops.put("log_softmax over 768", () -> x.scale(4f).logSoftmax(-1));
        ops.put("add with broadcast", () -> x.add(gamma));
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, Supplier<Tensor>> op : ops.entrySet()) {
            Tensor got = on(backend, op.getValue());
            Tensor want = on(oracle, op.getValue());
            results.add(new Result(op.getKey(), got.maxAbsDiff(want)));
        }
        return results;
    }

    private static Tensor on(Backend backend, Supplier<Tensor> op) {
        try (Backends.Scope s = Backends.use(backend)) {
            return op.get();
        }
    }
}
