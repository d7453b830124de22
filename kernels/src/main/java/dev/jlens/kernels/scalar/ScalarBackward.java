// The oracle's backward kernels: plain loops in double over strided views (the derivatives of ScalarBackend's ops).
package dev.jlens.kernels.scalar;

import dev.jlens.tensor.Tensor;

/**
 * gx of layer norm and gelu_new, g.w^T, and the causal-attention backward, each from its textbook formula with
 * double accumulators, one thread. Shapes: B batch, Pq/Pk query/key positions, H heads, E d_head, D model dim.
 */
final class ScalarBackward {
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    private ScalarBackward() {}

    /** g [R, N] (leading dims folded into R) times w^T, w [K, N]: [.., K]. */
    static Tensor matmulTransposed(Tensor g, Tensor w) {
        int n = w.size(1);
        int k = w.size(0);
        int[] shape = g.shape();
        shape[shape.length - 1] = k;
        Tensor gr = g.contiguous().reshape(-1, n);
        float[] out = new float[gr.size(0) * k];
        for (int r = 0; r < gr.size(0); r++) {
            for (int i = 0; i < k; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += (double) gr.get(r, j) * w.get(i, j);
                }
                out[r * k + i] = (float) acc;
            }
        }
        return Tensor.of(out, shape);
    }

    /** Per row of x [.., D]: gx = (gxhat - mean(gxhat) - xhat mean(gxhat xhat)) / sigma, gxhat = g w. */
    static Tensor layerNorm(Tensor x, Tensor w, float eps, Tensor g) {
        int d = x.size(-1);
        Tensor xr = x.contiguous().reshape(-1, d);
        Tensor gr = g.contiguous().reshape(-1, d);
        float[] out = new float[xr.numel()];
        double[] xhat = new double[d];
        double[] gxhat = new double[d];
        for (int r = 0; r < xr.size(0); r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += xr.get(r, i);
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (xr.get(r, i) - mean) * (xr.get(r, i) - mean);
            }
            double sigma = Math.sqrt(var / d + eps);
            double meanG = 0;
            double meanGx = 0;
            for (int i = 0; i < d; i++) {
                xhat[i] = (xr.get(r, i) - mean) / sigma;
                gxhat[i] = gr.get(r, i) * (w == null ? 1 : w.get(i));
                meanG += gxhat[i] / d;
                meanGx += gxhat[i] * xhat[i] / d;
            }
            for (int i = 0; i < d; i++) {
                out[r * d + i] = (float) ((gxhat[i] - meanG - xhat[i] * meanGx) / sigma);
            }
        }
        return Tensor.of(out, x.shape());
    }

    /** g * gelu_new'(x): d/dx 0.5 x (1 + tanh(c (x + a x^3))). */
    static Tensor geluNew(Tensor x, Tensor g) {
        float[] xs = x.contiguous().toArray();
        float[] gs = g.contiguous().toArray();
        float[] out = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            double t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
            double dt = (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v);
            out[i] = (float) (gs[i] * (0.5 * (1 + t) + 0.5 * v * dt));
        }
        return Tensor.of(out, x.shape());
    }

    /**
     * {gq, gk, gv} of causal attention from its scores [B, H, Pq, Pk] (ScalarBackend.attentionScores: -inf where a
     * key is not visible): per (b, h, query i) recompute p over the keys up to the query, then chain.
     */
    static Tensor[] causalAttention(Tensor scores, Tensor q, Tensor k, Tensor v, float scale, Tensor gz) {
        int batch = q.size(0);
        int pq = q.size(1);
        int pk = k.size(1);
        int heads = q.size(2);
        int dHead = q.size(3);
        double[] gq = new double[q.numel()]; // [B, Pq, H, E]
        double[] gk = new double[k.numel()]; // [B, Pk, H, E]
        double[] gv = new double[v.numel()]; // [B, Pk, H, E]
        double[] p = new double[pk];
        double[] dp = new double[pk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < pq; i++) {
                    int last = pk - pq + i;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        p[j] = scores.get(b, h, i, j);
                        max = Math.max(max, p[j]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue; // no visible key: z = 0 whatever q, k, v
                    }
                    double sum = 0;
                    for (int j = 0; j <= last; j++) {
                        p[j] = Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    double pdp = 0; // sum_j p_j dp_j
                    for (int j = 0; j <= last; j++) {
                        p[j] /= sum;
                        double acc = 0;
                        for (int e = 0; e < dHead; e++) {
                            acc += (double) gz.get(b, i, h, e) * v.get(b, j, h, e);
                            gv[((b * pk + j) * heads + h) * dHead + e] += p[j] * gz.get(b, i, h, e);
                        }
                        dp[j] = acc;
                        pdp += p[j] * acc;
                    }
                    for (int j = 0; j <= last; j++) {
                        double ds = scale * p[j] * (dp[j] - pdp);
                        for (int e = 0; e < dHead; e++) {
                            gq[((b * pq + i) * heads + h) * dHead + e] += ds * k.get(b, j, h, e);
                            gk[((b * pk + j) * heads + h) * dHead + e] += ds * q.get(b, i, h, e);
                        }
                    }
                }
            }
        }
        return new Tensor[] {floats(gq, q.shape()), floats(gk, k.shape()), floats(gv, v.shape())};
    }

    private static Tensor floats(double[] values, int[] shape) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return Tensor.of(out, shape);
    }
}
