// Every op's backward against central finite differences of its float64 definition, on the scalar oracle and cpu.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.kernels.scalar.ScalarBackend;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.autograd.Tape;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.backend.ReduceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For each case, an op (or a few) applied to a marked x, and the same function written here in double over flat
 * arrays (sharing no code with the engine). The loss is sum(w * y) for fixed random w; the engine's d loss / dx
 * (recorded on a Tape, replayed backwards) must match (L(x + h e_i) - L(x - h e_i)) / 2h in float64, h = 1e-6,
 * whose own error is about 1e-10. The engine computes in float32 (see TOLERANCE for what was measured). Surefire
 * runs this package once per vector width, so the cpu kernels' scalar twins and each width are covered.
 */
class BackwardOpsTest {
    /** Measured at most 2.6e-7 of max(1, max |fd|) (cpu gelu_new; every case, backend and width); 8x room. */
    private static final double TOLERANCE = 2e-6;
    private static final float EPS = 1e-5f;
    private static final float[] C5 = {0.3f, -1.2f, 0.8f, 2.0f, -0.4f};
    private static final float[] LN_W = {1.5f, -0.7f, 0.9f, 1.1f, 0.2f};
    private static final float[] LN_B = {0.1f, 0.2f, -0.3f, 0.0f, 0.5f};

    /** An engine op on x and its float64 twin on x's elements in row-major order. */
    record Case(String name, int[] shape, Function<Tensor, Tensor> op, UnaryOperator<double[]> ref) {}

    @TestFactory
    Stream<DynamicTest> backwardMatchesFiniteDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : List.of(new ScalarBackend(), new CpuBackend())) {
            for (Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(backend.name() + " " + c.name(), () -> check(backend, c)));
            }
        }
        return tests.stream();
    }

    private static void check(Backend backend, Case c) {
        SplittableRandom r = new SplittableRandom(c.name().hashCode());
        float[] x0 = new float[Shape.numel(c.shape())];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) r.nextDouble(-1.5, 1.5);
        }
        double[] x = new double[x0.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = x0[i];
        }
        double[] w = new double[c.ref().apply(x).length];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-1, 1);
        }
        float[] grad = engineGradient(backend, c, x0, w);
        double worst = 0;
        double scale = 1;
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (dot(c.ref().apply(plus), w) - dot(c.ref().apply(minus), w)) / (2 * h);
            worst = Math.max(worst, Math.abs(grad[i] - fd));
            scale = Math.max(scale, Math.abs(fd));
        }
        assertTrue(worst <= TOLERANCE * scale, backend.name() + " " + c.name() + ": max |grad - fd| " + worst
                + " vs max(1, max |fd|) " + scale);
    }

    private static float[] engineGradient(Backend backend, Case c, float[] x0, double[] w) {
        Tape tape = new Tape(backend);
        Tensor x = Tensor.of(x0.clone(), c.shape());
        Tensor loss;
        try (Backends.Scope on = Backends.use(tape.recorder())) {
            tape.mark("x", x);
            Tensor y = c.op().apply(x);
            float[] wf = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                wf[i] = (float) w[i];
            }
            loss = y.mul(Tensor.of(wf, y.shape())).reshape(-1).sum(0);
        }
        float[][] out = new float[1][];
        tape.backward(loss, (name, g) -> {
            out[0] = g.toArray();
            return null;
        });
        return out[0];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Applies f to each of n elements. */
    private static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i]);
        }
        return out;
    }

    private static double gelu(double u) {
        return 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
    }

    static List<Case> cases() {
        int[] s35 = {3, 5};
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("add, sub with broadcast", s35,
                x -> x.add(Tensor.of(C5.clone(), 5)).sub(x.select(0, 1)),
                x -> {
                    double[] y = new double[15];
                    for (int i = 0; i < 15; i++) {
                        y[i] = x[i] + C5[i % 5] - x[5 + i % 5];
                    }
                    return y;
                }));
        cases.add(new Case("mul, div", s35,
                x -> x.mul(x.select(1, 2).unsqueeze(1)).div(x.mul(x).add(Tensor.scalar(1))),
                x -> {
                    double[] y = new double[15];
                    for (int i = 0; i < 15; i++) {
                        y[i] = x[i] * x[i / 5 * 5 + 2] / (x[i] * x[i] + 1);
                    }
                    return y;
                }));
        cases.add(new Case("scale, exp, tanh", s35, x -> x.scale(0.7f).exp().add(x.tanh()),
                x -> map(x, v -> Math.exp(0.7 * v) + Math.tanh(v))));
        cases.add(new Case("log, sqrt", s35,
                x -> x.mul(x).add(Tensor.scalar(1)).log().add(x.mul(x).add(Tensor.scalar(0.5f)).sqrt()),
                x -> map(x, v -> Math.log(v * v + 1) + Math.sqrt(v * v + 0.5))));
        cases.add(new Case("gelu_new", s35, x -> x.scale(3).geluNew(), x -> map(x, v -> gelu(3 * v))));
        cases.add(new Case("sum, mean", s35,
                x -> x.sum(1).unsqueeze(1).mul(x.reduce(ReduceOp.MEAN, 0, true)),
                x -> {
                    double[] y = new double[15];
                    for (int i = 0; i < 15; i++) {
                        double sum = 0;
                        double mean = 0;
                        for (int j = 0; j < 5; j++) {
                            sum += x[i / 5 * 5 + j];
                        }
                        for (int rr = 0; rr < 3; rr++) {
                            mean += x[rr * 5 + i % 5] / 3;
                        }
                        y[i] = sum * mean;
                    }
                    return y;
                }));
        cases.add(new Case("max, logsumexp", s35, x -> x.max(1).add(x.logsumexp(1)), x -> {
            double[] y = new double[3];
            for (int rr = 0; rr < 3; rr++) {
                double max = Double.NEGATIVE_INFINITY;
                double z = 0;
                for (int j = 0; j < 5; j++) {
                    max = Math.max(max, x[rr * 5 + j]);
                }
                for (int j = 0; j < 5; j++) {
                    z += Math.exp(x[rr * 5 + j] - max);
                }
                y[rr] = max + max + Math.log(z);
            }
            return y;
        }));
        cases.add(new Case("softmax", s35, x -> x.scale(2).softmax(1), x -> softmaxRows(map(x, v -> 2 * v), 5, false)));
        cases.add(new Case("log_softmax along dim 0", s35, x -> x.logSoftmax(0),
                x -> transpose(softmaxRows(transpose(x, 3, 5), 3, true), 5, 3)));
        cases.add(new Case("layer norm, affine", s35,
                x -> x.layerNorm(Tensor.of(LN_W.clone(), 5), Tensor.of(LN_B.clone(), 5), EPS),
                x -> layerNormRows(x, LN_W, LN_B)));
        cases.add(new Case("layer norm, no affine (LNPre)", s35, x -> x.layerNorm(null, null, EPS),
                x -> layerNormRows(x, null, null)));
        cases.add(new Case("matmul by a prepared weight", s35,
                x -> x.matmul(Backends.current().prepareWeight(weight(5, 7))), x -> matmul(x, weight(5, 7), 3, 5, 7)));
        cases.add(new Case("matmul by a panel window of a prepared weight", s35,
                x -> x.matmul(Backends.current().prepareWeight(weight(5, 128)).narrow(1, 64, 64)),
                x -> matmul(x, weight(5, 128).narrow(1, 64, 64).contiguous(), 3, 5, 64)));
        cases.add(new Case("matmul x . x^T", s35, x -> x.matmul(x.transpose(0, 1)), x -> {
            double[] y = new double[9];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 5; k++) {
                        y[i * 3 + j] += x[i * 5 + k] * x[j * 5 + k];
                    }
                }
            }
            return y;
        }));
        cases.add(new Case("causal attention", new int[] {2, 4, 3, 2, 3},
                x -> Backends.current().causalAttention(x.select(2, 0), x.select(2, 1), x.select(2, 2), null, 0.6f),
                x -> attention(x, 2, 4, 4, 2, 3, 0.6, null)));
        int[][] mask = {{1, 0, 1, 1}, {1, 1, 1, 1}};
        cases.add(new Case("causal attention, last 2 queries, key mask", new int[] {2, 4, 3, 2, 3},
                x -> Backends.current().causalAttention(x.select(2, 0).narrow(1, 2, 2), x.select(2, 1),
                        x.select(2, 2), Tensor.of(new float[] {1, 0, 1, 1, 1, 1, 1, 1}, 2, 4), 0.6f),
                x -> attention(x, 2, 2, 4, 2, 3, 0.6, mask)));
        cases.add(new Case("attention as scores, softmax, pattern . v (the hooked path)", new int[] {2, 4, 3, 2, 3},
                x -> Tensor.attentionMix(Tensor.attentionScores(x.select(2, 0).narrow(1, 2, 2), x.select(2, 1),
                        Tensor.of(new float[] {1, 0, 1, 1, 1, 1, 1, 1}, 2, 4), 0.6f).softmax(-1), x.select(2, 2)),
                x -> attention(x, 2, 2, 4, 2, 3, 0.6, mask)));
        cases.add(new Case("layer norm as scale, normalize, affine (the hooked path)", s35, x -> x.layerNormNormalize(
                x.layerNormScale(EPS)).mul(Tensor.of(LN_W.clone(), 5)).add(Tensor.of(LN_B.clone(), 5)),
                x -> layerNormRows(x, LN_W, LN_B)));
        float[] index = {4, 0, 2, 2, 1, 3};
        cases.add(new Case("gather, index_select", s35,
                x -> Tensor.cat(0, x.gather(1, Tensor.of(index.clone(), 3, 2)).reshape(-1),
                        x.indexSelect(0, 2, 0, 2).reshape(-1)),
                x -> {
                    double[] y = new double[21];
                    for (int i = 0; i < 6; i++) {
                        y[i] = x[i / 2 * 5 + (int) index[i]];
                    }
                    int[] rows = {2, 0, 2};
                    for (int i = 0; i < 15; i++) {
                        y[6 + i] = x[rows[i / 5] * 5 + i % 5];
                    }
                    return y;
                }));
        cases.add(new Case("views, cat, copyFrom into a slice, fill", s35, x -> {
            Tensor y = Tensor.cat(0, x.narrow(0, 1, 2), x.transpose(0, 1).contiguous().reshape(3, 5)); // [5, 5]
            y.narrow(0, 0, 1).copyFrom(x.select(0, 2).unsqueeze(0).scale(2));
            y.narrow(1, 4, 1).fill(0);
            return y.permute(1, 0);
        }, x -> {
            double[][] y = new double[5][5];
            for (int j = 0; j < 5; j++) {
                y[0][j] = 2 * x[10 + j];                // row 0: 2 x[2] (overwrites x[1])
                y[1][j] = x[10 + j];                    // row 1: x[2]
            }
            for (int i = 0; i < 15; i++) {
                y[2 + i / 5][i % 5] = x[i % 3 * 5 + i / 3]; // x^T [5, 3] read as [3, 5]
            }
            double[] out = new double[25];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    out[j * 5 + i] = j == 4 ? 0 : y[i][j]; // column 4 filled with 0, then transposed
                }
            }
            return out;
        }));
        return cases;
    }

    /** Softmax (or log-softmax) of each row of n. */
    private static double[] softmaxRows(double[] x, int n, boolean log) {
        double[] y = new double[x.length];
        for (int r0 = 0; r0 < x.length; r0 += n) {
            double max = Double.NEGATIVE_INFINITY;
            double z = 0;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[r0 + j]);
            }
            for (int j = 0; j < n; j++) {
                z += Math.exp(x[r0 + j] - max);
            }
            for (int j = 0; j < n; j++) {
                y[r0 + j] = log ? x[r0 + j] - max - Math.log(z) : Math.exp(x[r0 + j] - max) / z;
            }
        }
        return y;
    }

    /** x [rows, cols] transposed to [cols, rows]. */
    private static double[] transpose(double[] x, int rows, int cols) {
        double[] y = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y[j * rows + i] = x[i * cols + j];
            }
        }
        return y;
    }

    /** (x - mean) / sqrt(var + eps) * w + b per row of 5. */
    private static double[] layerNormRows(double[] x, float[] w, float[] b) {
        double[] y = new double[x.length];
        for (int r0 = 0; r0 < x.length; r0 += 5) {
            double mean = 0;
            double var = 0;
            for (int j = 0; j < 5; j++) {
                mean += x[r0 + j] / 5;
            }
            for (int j = 0; j < 5; j++) {
                var += (x[r0 + j] - mean) * (x[r0 + j] - mean) / 5;
            }
            for (int j = 0; j < 5; j++) {
                double v = (x[r0 + j] - mean) / Math.sqrt(var + EPS);
                y[r0 + j] = w == null ? v : v * w[j] + b[j];
            }
        }
        return y;
    }

    /** A fixed [k, n] matrix. */
    private static Tensor weight(int k, int n) {
        return Tensor.randn(11, k, n);
    }

    /** x [m, k] . w [k, n]. */
    private static double[] matmul(double[] x, Tensor w, int m, int k, int n) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    y[i * n + j] += x[i * k + p] * w.get(p, j);
                }
            }
        }
        return y;
    }

    /**
     * z [B, Pq, H, E] of x [B, Pk, 3, H, E] (q, k, v = x[:, :, 0..2]; queries are the last Pq positions):
     * softmax over visible keys j <= Pk - Pq + i of scale q.k_j, times v_j.
     */
    private static double[] attention(double[] x, int batch, int pq, int pk, int heads, int e, double scale,
            int[][] mask) {
        double[] z = new double[batch * pq * heads * e];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < pq; i++) {
                    int qPos = pk - pq + i;
                    double[] s = new double[qPos + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= qPos; j++) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        if (mask == null || mask[b][j] != 0) {
                            s[j] = 0;
                            for (int c = 0; c < e; c++) {
                                s[j] += x[at(b, qPos, 0, h, c, pk, heads, e)] * x[at(b, j, 1, h, c, pk, heads, e)];
                            }
                            s[j] *= scale;
                            max = Math.max(max, s[j]);
                        }
                    }
                    double sum = 0;
                    for (int j = 0; j <= qPos; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= qPos; j++) {
                        for (int c = 0; c < e; c++) {
                            z[((b * pq + i) * heads + h) * e + c] += s[j] / sum * x[at(b, j, 2, h, c, pk, heads, e)];
                        }
                    }
                }
            }
        }
        return z;
    }

    /** Flat index of x[b, p, which, h, c] in [B, Pk, 3, H, E]. */
    private static int at(int b, int p, int which, int h, int c, int pk, int heads, int e) {
        return (((b * pk + p) * 3 + which) * heads + h) * e + c;
    }
}
