// The oracle backend: every op as plain loops over strided views with double accumulators, never optimised.
package dev.jlens.kernels.scalar;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.StridedCursor;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.backend.UnaryOp;
import dev.jlens.tensor.storage.Storage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.stream.IntStream;

/**
 * The reference every other backend is tested against (Jlama's NaiveTensorOperations, llm.c's *_cpu). It reads
 * inputs through their strides, computes in double and rounds once to float. Selected with
 * {@code -Djlens.backend=scalar}; lowest priority otherwise.
 */
public final class ScalarBackend implements Backend {
    /** The backend, stateless; {@link java.util.ServiceLoader} makes one through this constructor. */
    public ScalarBackend() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String describe() {
        return "scalar (reference loops, double accumulators, 1 thread)";
    }

    @Override
    public SequencedMap<String, String> settings() {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("vector width", "none (plain loops)");
        s.put("worker threads", "1");
        return s;
    }

    @Override
    public Tensor zeros(int... shape) {
        return Tensor.of(new float[Shape.numel(shape)], shape);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        StridedCursor s = new StridedCursor(src);
        for (StridedCursor d = new StridedCursor(dst); d.hasElement(); d.next(), s.next()) {
            dst.storage().set(d.position(), src.storage().get(s.position()));
        }
    }

    @Override
    public void fill(Tensor dst, float value) {
        for (StridedCursor d = new StridedCursor(dst); d.hasElement(); d.next()) {
            dst.storage().set(d.position(), value);
        }
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        float[] out = new float[a.numel()];
        StridedCursor cb = new StridedCursor(b);
        int i = 0;
        for (StridedCursor ca = new StridedCursor(a); ca.hasElement(); ca.next(), cb.next()) {
            out[i++] = op.apply(a.storage().get(ca.position()), b.storage().get(cb.position()));
        }
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a) {
        float[] out = values(a);
        for (int i = 0; i < out.length; i++) {
            double x = out[i];
            out[i] = (float) switch (op) {
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case TANH -> Math.tanh(x);
                case SQRT -> Math.sqrt(x);
                case GELU_NEW -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            };
        }
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor scale(Tensor a, float alpha) {
        float[] out = values(a);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((double) alpha * out[i]);
        }
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim, boolean keepDim) {
        int n = a.size(dim);
        float[] rows = values(a.movedim(dim, -1));
        float[] out = new float[rows.length / n];
        for (int r = 0; r < out.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = r * n; i < (r + 1) * n; i++) {
                max = Math.max(max, rows[i]);
                sum += rows[i];
            }
            double lse = 0;
            if (op == ReduceOp.LOGSUMEXP) {
                double m = Double.isInfinite(max) ? 0 : max;
                for (int i = r * n; i < (r + 1) * n; i++) {
                    lse += Math.exp(rows[i] - m);
                }
                lse = m + Math.log(lse);
            }
            out[r] = (float) switch (op) {
                case SUM -> sum;
                case MEAN -> sum / n;
                case MAX -> max;
                case LOGSUMEXP -> lse;
            };
        }
        return Tensor.of(out, Shape.reduced(a.shape(), dim, keepDim));
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepDim) {
        int n = a.size(dim);
        float[] rows = values(a.movedim(dim, -1));
        float[] out = new float[rows.length / n];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (rows[r * n + i] > rows[r * n + best]) {
                    best = i;
                }
            }
            out[r] = best;
        }
        return Tensor.of(out, Shape.reduced(a.shape(), dim, keepDim));
    }

    @Override
    public Tensor softmax(Tensor a, int dim) {
        return softmax(a, dim, false);
    }

    @Override
    public Tensor logSoftmax(Tensor a, int dim) {
        return softmax(a, dim, true);
    }

    // Rows of the dim: p_i = exp(x_i - max) / sum_j exp(x_j - max); log form x_i - max - log(sum).
    private Tensor softmax(Tensor a, int dim, boolean log) {
        int n = a.size(dim);
        float[] rows = values(a.movedim(dim, -1));
        for (int r = 0; r < rows.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = r * n; i < (r + 1) * n; i++) {
                max = Math.max(max, rows[i]);
            }
            if (max == Double.NEGATIVE_INFINITY) { // a fully masked row: probability 0 everywhere, as TL's pattern
                Arrays.fill(rows, r * n, (r + 1) * n, log ? Float.NEGATIVE_INFINITY : 0f);
                continue;
            }
            double sum = 0;
            for (int i = r * n; i < (r + 1) * n; i++) {
                sum += Math.exp(rows[i] - max);
            }
            for (int i = r * n; i < (r + 1) * n; i++) {
                rows[i] = (float) (log ? rows[i] - max - Math.log(sum) : Math.exp(rows[i] - max) / sum);
            }
        }
        return fromLastDim(rows, a.shape(), dim);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        Tensor normalized = layerNormNormalize(x, layerNormScale(x, eps));
        Tensor scaled = w == null ? normalized : binary(BinaryOp.MUL, normalized, w.expand(x.shape()));
        return b == null ? scaled : binary(BinaryOp.ADD, scaled, b.expand(x.shape()));
    }

    // Per row of the last dim: mean and biased variance in double; scale = sqrt(var + eps) rounded once.
    @Override
    public Tensor layerNormScale(Tensor x, float eps) {
        int d = x.size(-1);
        float[] rows = values(x);
        float[] out = new float[d == 0 ? 0 : rows.length / d];
        for (int r = 0; r < out.length; r++) {
            double mean = mean(rows, r * d, d);
            double var = 0;
            for (int i = 0; i < d; i++) {
                double c = rows[r * d + i] - mean;
                var += c * c;
            }
            out[r] = (float) Math.sqrt(var / d + eps);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = 1;
        return Tensor.of(out, shape);
    }

    @Override
    public Tensor layerNormNormalize(Tensor x, Tensor scale) {
        int d = x.size(-1);
        float[] rows = values(x);
        float[] scales = values(scale);
        for (int r = 0; d > 0 && r < rows.length / d; r++) {
            double mean = mean(rows, r * d, d);
            for (int i = 0; i < d; i++) {
                rows[r * d + i] = (float) ((rows[r * d + i] - mean) / scales[r]);
            }
        }
        return Tensor.of(rows, x.shape());
    }

    /** The mean of rows[from .. from + n) in double. */
    private static double mean(float[] rows, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += rows[i];
        }
        return sum / n;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] shape = a.shape();
        int rank = shape.length;
        int m = shape[rank - 2];
        int k = shape[rank - 1];
        int n = b.size(-1);
        int batches = a.numel() / Math.max(1, m * k);
        int[] outShape = shape.clone();
        outShape[rank - 1] = n;
        float[] out = new float[Shape.numel(outShape)];
        float[] av = values(a); // [batches, m, k]
        float[] bv = values(b); // [k, n] shared, or [batches, k, n]
        int bStep = b.rank() == 2 ? 0 : k * n;
        for (int bi = 0; bi < batches; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += (double) av[(bi * m + i) * k + p] * bv[bi * bStep + p * n + j];
                    }
                    out[(bi * m + i) * n + j] = (float) acc;
                }
            }
        }
        return Tensor.of(out, outShape);
    }

    @Override
    public Tensor prepareWeight(Tensor w) {
        return w.storage() instanceof HeapStorage && w.isContiguous() ? w : w.copy(); // owned, whatever w's source
    }

    @Override
    public Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        return attentionMix(softmax(attentionScores(q, k, keyMask, scale), 3), v);
    }

    // scores[b,h,i,j] = scale * q[b,i,h].k[b,j,h] in double, rounded once; -inf where key j is not visible.
    @Override
    public Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale) {
        int batch = q.size(0);
        int pq = q.size(1);
        int pk = k.size(1);
        int heads = q.size(2);
        int dHead = q.size(3);
        float[] out = new float[batch * heads * pq * pk]; // [B, H, Pq, Pk]
        int at = 0;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < pq; i++) {
                    for (int j = 0; j < pk; j++) {
                        boolean seen = visible(keyMask, b, pk - pq + i, j);
                        double dot = 0;
                        for (int e = 0; seen && e < dHead; e++) {
                            dot += (double) q.get(b, i, h, e) * k.get(b, j, h, e);
                        }
                        out[at++] = seen ? (float) (scale * dot) : Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        return Tensor.of(out, batch, heads, pq, pk);
    }

    /** The visibility rule: a query at absolute position {@code last} sees key j &lt;= last not masked out. */
    static boolean visible(Tensor keyMask, int b, int last, int j) {
        return j <= last && (keyMask == null || keyMask.get(b, j) != 0);
    }

    // z[b,i,h,e] = sum_j pattern[b,h,i,j] v[b,j,h,e] in double over the keys of non-zero weight, rounded once.
    @Override
    public Tensor attentionMix(Tensor pattern, Tensor v) {
        int batch = pattern.size(0);
        int heads = pattern.size(1);
        int pq = pattern.size(2);
        int pk = pattern.size(3);
        int dHead = v.size(3);
        float[] z = new float[batch * pq * heads * dHead]; // [B, Pq, H, E]
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < pq; i++) {
                    for (int e = 0; e < dHead; e++) {
                        double acc = 0;
                        for (int j = 0; j < pk; j++) {
                            float p = pattern.get(b, h, i, j);
                            acc += p == 0 ? 0 : p * (double) v.get(b, j, h, e);
                        }
                        z[((b * pq + i) * heads + h) * dHead + e] = (float) acc;
                    }
                }
            }
        }
        return Tensor.of(z, batch, pq, heads, dHead);
    }

    @Override
    public Tensor gather(Tensor a, int dim, Tensor index) {
        int[] shape = index.shape();
        float[] out = new float[index.numel()];
        int[] at = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            int rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                at[d] = rest % shape[d];
                rest /= shape[d];
            }
            int[] source = at.clone();
            source[dim] = (int) index.get(at);
            out[i] = a.get(source);
        }
        return Tensor.of(out, shape);
    }

    @Override
    public Tensor indexSelect(Tensor a, int dim, int[] index) {
        int[] shape = a.shape();
        shape[dim] = index.length;
        Tensor out = zeros(shape);
        for (int i = 0; i < index.length; i++) {
            copy(out.select(dim, i), a.select(dim, index[i]));
        }
        return out;
    }

    @Override
    public TopK topk(Tensor a, int k, int dim) {
        int n = a.size(dim);
        float[] rows = values(a.movedim(dim, -1));
        int groups = rows.length / n;
        float[] values = new float[groups * k];
        float[] indices = new float[groups * k];
        for (int r = 0; r < groups; r++) {
            int base = r * n;
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -rows[base + i]).thenComparingInt(i -> i));
            for (int j = 0; j < k; j++) {
                values[r * k + j] = rows[base + order[j]];
                indices[r * k + j] = order[j];
            }
        }
        int[] shape = a.shape();
        shape[dim] = k;
        return new TopK(fromLastDim(values, shape, dim), fromLastDim(indices, shape, dim));
    }

    // ---- backward kernels ----

    @Override
    public Tensor matmulTransposed(Tensor g, Tensor w) {
        return ScalarBackward.matmulTransposed(g, w);
    }

    @Override
    public Tensor layerNormBackward(Tensor x, Tensor w, float eps, Tensor g) {
        return ScalarBackward.layerNorm(x, w, eps, g);
    }

    @Override
    public Tensor geluNewBackward(Tensor x, Tensor g) {
        return ScalarBackward.geluNew(x, g);
    }

    @Override
    public Tensor[] causalAttentionBackward(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale, Tensor gz) {
        return ScalarBackward.causalAttention(attentionScores(q, k, keyMask, scale), q, k, v, scale, gz);
    }

    // ---- layout helpers ----

    /** The elements of t in row-major order. */
    private static float[] values(Tensor t) {
        float[] out = new float[t.numel()];
        Storage s = t.storage();
        int i = 0;
        for (StridedCursor c = new StridedCursor(t); c.hasElement(); c.next()) {
            out[i++] = s.get(c.position());
        }
        return out;
    }

    /** Rows laid out with {@code dim} last, written back into a new tensor of {@code shape}. */
    private Tensor fromLastDim(float[] rows, int[] shape, int dim) {
        Tensor out = zeros(shape);
        Tensor moved = out.movedim(dim, -1);
        copy(moved, Tensor.of(rows, moved.shape()));
        return out;
    }
}
