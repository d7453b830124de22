// Every op of every backend against the scalar oracle: odd sizes, size-1 dims, strided views, broadcasting.
package dev.jlens.kernels;

import static dev.jlens.tensor.Close.assertClose;

import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.RowShiftedStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per (backend, op, case): the op runs under the backend and under {@link ScalarBackend}
 * on the same inputs, and the results must agree within |a-b| <= atol + rtol*|b|. Tolerances: rtol 1e-5 and
 * atol 1e-5 elementwise; matmul and attention use atol 2e-5 * sqrt(K) because FMA and lane order reorder sums
 * of K products. Vector width comes from -Djlens.vectorBits (surefire runs this class once per width).
 */
class BackendMatrixTest {
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-5;
    private static final Backend ORACLE = new ScalarBackend();

    /** One op on fixed inputs; {@code atol} is its absolute tolerance. */
    record Case(String name, Supplier<Object> op, double atol) {}

    @TestFactory
    Stream<DynamicTest> everyBackendMatchesTheOracle() {
        List<Backend> backends = Backends.all().stream()
                .filter(b -> !b.name().equals("scalar") && !b.name().equals("cuda") && b.unavailableReason() == null)
                .toList();
        Assumptions.assumeFalse(backends.isEmpty(), "no backend besides the scalar oracle can run here");
        return backends.stream().flatMap(BackendMatrixTest::against);
    }

    private static Stream<DynamicTest> against(Backend backend) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            String what = backend.name() + " (vectorBits=" + System.getProperty("jlens.vectorBits", "preferred")
                    + ") " + c.name();
            tests.add(DynamicTest.dynamicTest(what, () -> compare(what, backend, c)));
        }
        return tests.stream();
    }

    /** Runs {@code c} under {@code backend} and under the oracle; fails naming {@code what} when they differ. */
    static void compare(String what, Backend backend, Case c) {
        Object got = run(backend, c.op());
        Object want = run(ORACLE, c.op());
        if (want instanceof TopK w && got instanceof TopK g) {
            assertClose(what + " values", w.values(), g.values(), 0, 0);
            assertClose(what + " indices", w.indices(), g.indices(), 0, 0);
        } else {
            assertClose(what, (Tensor) want, (Tensor) got, RTOL, c.atol());
        }
    }

    private static Object run(Backend backend, Supplier<Object> op) {
        try (Backends.Scope s = Backends.use(backend)) {
            return op.get();
        }
    }

    private static int seed = 1;

    /** Seeded normal entries, fresh seed per call so inputs differ. */
    private static Tensor rand(int... shape) {
        return Tensor.randn(seed++, shape);
    }

    /** Every case (CudaMatrixTest runs them on cuda, each visibly skipped without a GPU). */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        elementwise(cases);
        reductions(cases);
        normalization(cases);
        products(cases);
        indexing(cases);
        return cases;
    }

    private static void add(List<Case> cases, String name, Supplier<Object> op) {
        cases.add(new Case(name, op, ATOL));
    }

    private static void elementwise(List<Case> cases) {
        int[][][] pairs = {
            {{3, 5}, {3, 5}}, {{4, 7}, {7}}, {{4, 1}, {4, 9}}, {{2, 1, 5}, {3, 1}}, {{33, 257}, {33, 257}},
            {{1}, {1}}, {{6, 1000}, {1000}}, {{2, 3, 768}, {1, 1, 768}}
        };
        for (int[][] p : pairs) {
            Tensor a = rand(p[0]);
            Tensor b = rand(p[1]).add(Tensor.full(3f, p[1])); // keep divisors away from 0
            String shapes = Shape.str(p[0]) + " op " + Shape.str(p[1]);
            add(cases, "add " + shapes, () -> a.add(b));
            add(cases, "sub " + shapes, () -> a.sub(b));
            add(cases, "mul " + shapes, () -> a.mul(b));
            add(cases, "div " + shapes, () -> a.div(b));
        }
        Tensor t = rand(9, 31);
        Tensor u = rand(9, 31);
        add(cases, "add transposed views [31, 9]", () -> t.transpose(0, 1).add(u.transpose(0, 1)));
        add(cases, "mul sliced view [9, 10]", () -> t.slice(1, 3, 13).mul(t.slice(1, -10, 31)));
        for (int[] shape : new int[][] {{1}, {7}, {3, 1000}, {2, 33, 9}}) {
            Tensor x = rand(shape).scale(3f);
            String s = Shape.str(shape);
            add(cases, "exp " + s, x::exp);
            add(cases, "log " + s, () -> x.exp().log());
            add(cases, "tanh " + s, x::tanh);
            add(cases, "gelu_new " + s, x::geluNew);
            add(cases, "scale " + s, () -> x.scale(-0.37f));
        }
        Tensor wide = rand(5, 64).scale(8f);
        add(cases, "gelu_new of large |x| [5, 64]", wide::geluNew);
        add(cases, "tanh of transposed view [64, 5]", () -> wide.transpose(0, 1).tanh());
    }

    private static void reductions(List<Case> cases) {
        Tensor x = rand(3, 17, 33).scale(2f);
        for (ReduceOp op : ReduceOp.values()) {
            for (int dim = -3; dim < 3; dim++) {
                int d = dim;
                add(cases, op + " dim " + d + " of [3, 17, 33]", () -> x.reduce(op, d, d % 2 == 0));
            }
            add(cases, op + " of transposed [33, 17]", () -> x.select(0, 1).transpose(0, 1).reduce(op, -1, false));
            Tensor longRow = rand(2, 50257);
            add(cases, op + " of a long row [2, 50257]", () -> longRow.reduce(op, 1, false));
        }
        for (int dim = 0; dim < 3; dim++) {
            int d = dim;
            add(cases, "argmax dim " + d + " of [3, 17, 33]", () -> x.argmax(d));
        }
        Tensor logits = rand(4, 50257);
        add(cases, "argmax of [4, 50257]", () -> logits.argmax(-1, true));
    }

    private static void normalization(List<Case> cases) {
        Tensor masked = maskedScores(2, 3, 13);
        for (int[] shape : new int[][] {{1, 1}, {4, 7}, {2, 9, 768}, {3, 1000}}) {
            Tensor x = rand(shape).scale(5f);
            String s = Shape.str(shape);
            add(cases, "softmax last dim " + s, () -> x.softmax(-1));
            add(cases, "log_softmax last dim " + s, () -> x.logSoftmax(-1));
            add(cases, "softmax dim 0 " + s, () -> x.softmax(0));
        }
        add(cases, "softmax of causally masked scores [2, 3, 13, 13]", () -> masked.softmax(-1));
        add(cases, "log_softmax of causally masked scores", () -> masked.logSoftmax(-1));
        for (int[] shape : new int[][] {{1, 768}, {5, 7}, {2, 3, 33}, {4, 1}}) {
            Tensor x = rand(shape);
            int d = shape[shape.length - 1];
            Tensor w = rand(d);
            Tensor b = rand(d);
            String s = Shape.str(shape);
            add(cases, "layer_norm " + s, () -> x.layerNorm(w, b, 1e-5f));
            add(cases, "layer_norm without affine (LNPre) " + s, () -> x.layerNorm(null, null, 1e-5f));
        }
        Tensor shifted = rand(6, 768).add(Tensor.full(1000f, 6, 768));
        add(cases, "layer_norm of rows with mean 1000", () -> shifted.layerNorm(null, null, 1e-5f));
        Tensor t = rand(40, 3);
        add(cases, "layer_norm of a transposed view [3, 40]", () -> t.transpose(0, 1).layerNorm(null, null, 1e-5f));
    }

    /** Attention-score-like tensor [B, H, P, P] with -inf above the diagonal. */
    private static Tensor maskedScores(int batch, int heads, int pos) {
        Tensor s = rand(batch, heads, pos, pos).scale(4f);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < pos; i++) {
                    for (int j = i + 1; j < pos; j++) {
                        s.set(Float.NEGATIVE_INFINITY, b, h, i, j);
                    }
                }
            }
        }
        return s;
    }

    private static void products(List<Case> cases) {
        for (int m : new int[] {1, 3, 8, 17}) {
            for (int k : new int[] {1, 7, 64, 300}) {
                for (int n : new int[] {1, 5, 33}) {
                    Tensor a = rand(m, k);
                    Tensor b = rand(k, n);
                    String s = "[" + m + "x" + k + "]·[" + k + "x" + n + "]";
                    cases.add(new Case("matmul " + s, () -> a.matmul(b), matmulAtol(k)));
                    cases.add(new Case("matmul prepared weight " + s,
                            () -> a.matmul(Backends.current().prepareWeight(b)), matmulAtol(k)));
                }
            }
        }
        Tensor x = rand(2, 15, 96);
        Tensor w = rand(96, 40);
        cases.add(new Case("matmul batched activations [2,15,96]·[96,40]", () -> x.matmul(w), matmulAtol(96)));
        Tensor wt = rand(40, 96);
        cases.add(new Case("matmul transposed weight", () -> x.matmul(wt.transpose(0, 1)), matmulAtol(96)));
        cases.add(new Case("matmul sliced activations", () -> x.slice(1, 2, 9).matmul(w), matmulAtol(96)));
        Tensor a4 = rand(2, 3, 5, 7);
        Tensor b4 = rand(2, 3, 7, 4);
        cases.add(new Case("matmul batched both [2,3,5,7]·[2,3,7,4]", () -> a4.matmul(b4), matmulAtol(7)));
        Tensor b3 = rand(1, 7, 4);
        cases.add(new Case("matmul broadcast batch [5,7]·[1,7,4]", () -> a4.select(0, 1).matmul(b3), matmulAtol(7)));
        Tensor q = rand(2, 4, 11, 16);
        Tensor k = rand(2, 4, 11, 16);
        cases.add(new Case("matmul q·k^T per head", () -> q.matmul(k.transpose(-1, -2)), matmulAtol(16)));
        Tensor vec = rand(64);
        Tensor mat = rand(64, 9);
        cases.add(new Case("matmul vector·matrix", () -> vec.matmul(mat), matmulAtol(64)));
        cases.add(new Case("matmul matrix·vector", () -> mat.transpose(0, 1).matmul(vec), matmulAtol(64)));
        attention(cases);
    }

    private static double matmulAtol(int k) {
        return 2e-5 * Math.sqrt(k);
    }

    private static void attention(List<Case> cases) {
        int[][] shapes = {{1, 1, 1, 1, 1}, {1, 5, 5, 3, 8}, {2, 17, 17, 1, 64}, {2, 4, 9, 3, 8}, {1, 1, 12, 2, 64},
            {2, 15, 15, 12, 64}};
        for (int[] s : shapes) { // {B, Pq, Pk, H, E}
            Tensor q = rand(s[0], s[1], s[3], s[4]);
            Tensor k = rand(s[0], s[2], s[3], s[4]);
            Tensor v = rand(s[0], s[2], s[3], s[4]);
            float scale = (float) (1 / Math.sqrt(s[4]));
            String name = "attention B" + s[0] + " Pq" + s[1] + " Pk" + s[2] + " H" + s[3] + " E" + s[4];
            cases.add(new Case(name, () -> Backends.current().causalAttention(q, k, v, null, scale),
                    matmulAtol(s[2])));
            Tensor mask = Tensor.full(1f, s[0], s[2]);
            mask.set(0f, 0, 0);
            mask.set(0f, s[0] - 1, s[2] - 1);
            cases.add(new Case(name + " with key mask", () -> Backends.current().causalAttention(q, k, v, mask, scale),
                    matmulAtol(s[2])));
        }
        Tensor qkv = rand(2, 7, 9, 16); // [B, P, 3H, E]: q, k, v as strided views of one projection
        cases.add(new Case("attention on strided q/k/v views", () -> Backends.current().causalAttention(
                qkv.narrow(2, 0, 3), qkv.narrow(2, 3, 3), qkv.narrow(2, 6, 3), null, 0.25f), matmulAtol(7)));
    }

    private static void indexing(List<Case> cases) {
        Tensor x = rand(6, 5, 4);
        add(cases, "gather dim 1", () -> x.gather(1, Tensor.of(new float[] {4, 0, 2, 2, 1, 3, 0, 0}, 1, 2, 4)));
        add(cases, "gather dim -1 of a transposed view", () -> x.transpose(0, 2).gather(-1,
                Tensor.of(new float[] {5, 0, 3}, 1, 1, 3)));
        add(cases, "index_select rows (embedding)", () -> x.reshape(30, 4).indexSelect(0, 29, 0, 7, 7, 13));
        add(cases, "index_select dim 1", () -> x.indexSelect(1, 4, 1));
        double[] shifts = {0.5, -1.25, 3e-3, 7, 0, -0.1};
        Tensor centred = Tensor.view(new RowShiftedStorage(new HeapStorage(rand(6, 20).toArray()), 20, shifts),
                new int[] {6, 20}, new int[] {20, 1}, 0);
        add(cases, "index_select rows of a row-shifted table (centred W_E)", () -> centred.indexSelect(0, 5, 0, 3,
                3));
        add(cases, "copy of a permuted view", () -> x.permute(2, 0, 1).copy());
        Tensor head = rand(2, 5, 4);
        add(cases, "copyFrom into a select view", () -> {
            Tensor z = Tensor.zeros(2, 5, 3, 4);
            z.select(2, 1).copyFrom(head);
            return z;
        });
        Tensor filled = rand(3, 8);
        add(cases, "fill a narrowed view", () -> {
            Tensor z = filled.copy();
            z.narrow(1, 2, 3).fill(-7f);
            return z;
        });
        add(cases, "cat dim 1 and stack", () -> Tensor.stack(0, Tensor.cat(1, x, x.slice(1, 1, 3)),
                Tensor.cat(1, x.slice(1, 2, 4), x)));
        Tensor ties = Tensor.of(new float[] {1, 3, 3, 2, 3, 0, 5, 5, 1, 5}, 2, 5);
        Tensor vocab = rand(4, 50257);
        add(cases, "topk k=1 of [4, 50257]", () -> vocab.topk(1, -1));
        add(cases, "topk k=5 dim 0 of [6, 5, 4]", () -> x.topk(5, 0));
        add(cases, "topk with ties keeps lower indices first", () -> ties.topk(3, 1));
    }
}
