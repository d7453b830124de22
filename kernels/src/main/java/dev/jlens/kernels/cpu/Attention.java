// Fused causal self-attention for all heads (TL components/abstract_attention.py up to hook_z; llm.c
// attention_forward without the qkv split). q [B, Pq, H, E], k and v [B, Pk, H, E], Pq <= Pk; query i sits at
// absolute position t = Pk - Pq + i (the last Pq positions, as with a KV cache) and sees the keys j <= t whose
// keyMask[b, j] (keyMask [B, Pk], null = all) is non-zero:
//   s_j = scale * q[b,i,h,:] . k[b,j,h,:]     (TL: scale = 1 / sqrt(E), hook_attn_scores before masking)
//   p_j = softmax_j(s_j)                      (TL hook_pattern, over the visible keys only)
//   z[b,i,h,:] = sum_j p_j v[b,j,h,:]          (TL hook_z)
// Outputs: z [B, Pq, H, E] (first argument). A query with no visible key gets z = 0 (Softmax's all -inf rule).
// Each (b, h, query) uses one scratch row of Pk scores; work is split over (b, h, block of QUERY_BLOCK queries).
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Fused causal multi-head attention from q, k, v to z: no [Pq, Pk] pattern is stored, only one scratch row of
 * scores per task; parallel over batch, heads and blocks of queries.
 */
public final class Attention {
    /** Queries per task: enough work to amortize a task and its scratch row, small enough to balance threads. */
    private static final int QUERY_BLOCK = 16;

    private Attention() {}

    /**
     * z [B, Pq, H, E] = causal attention of q [B, Pq, H, E] over k, v [B, Pk, H, E] (see the file header), all
     * contiguous row-major at their offsets. keyMask [B, Pk] at {@code mOff}: key j of batch b is visible when
     * non-zero; null means all visible. {@code scale} multiplies q.k, usually 1 / sqrt(E).
     */
    public static void causal(float[] z, int zOff, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
            float[] keyMask, int mOff, int B, int Pq, int Pk, int H, int E, float scale) {
        if (VectorWidth.SCALAR) {
            causalScalar(z, zOff, q, qOff, k, kOff, v, vOff, keyMask, mOff, B, Pq, Pk, H, E, scale);
            return;
        }
        int blocks = (Pq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        long fmas = 2L * B * H * Pq * Pk * E; // at most: q.k and p.v over every key; a decode step's few run inline
        CpuThreads.parallelFor(B * H * blocks, fmas, task -> {
            int b = task / (H * blocks);
            int h = task / blocks % H;
            int first = task % blocks * QUERY_BLOCK;
            float[] scores = new float[Pk]; // [Pk] scratch: scores, then unnormalized probabilities
            int kv = (b * Pk * H + h) * E; // row of key 0 of (b, h) in k and v, minus the array offsets
            for (int i = first; i < Math.min(Pq, first + QUERY_BLOCK); i++) {
                int row = ((b * Pq + i) * H + h) * E; // row of query i of (b, h) in q and z
                query(z, zOff + row, q, qOff + row, k, kOff + kv, v, vOff + kv, keyMask, mOff + b * Pk,
                        Pk - Pq + i + 1, H * E, E, scale, scores);
            }
        });
    }

    /** Scalar twin of {@link #causal}: scores, softmax and z accumulated in double, one thread. */
    static void causalScalar(float[] z, int zOff, float[] q, int qOff, float[] k, int kOff, float[] v,
            int vOff, float[] keyMask, int mOff, int B, int Pq, int Pk, int H, int E, float scale) {
        double[] p = new double[Pk]; // [Pk] scores, then probabilities
        double[] acc = new double[E]; // [E] z row
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < Pq; i++) {
                    int row = ((b * Pq + i) * H + h) * E;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= Pk - Pq + i; j++) {
                        int key = ((b * Pk + j) * H + h) * E;
                        double s = 0;
                        for (int e = 0; e < E; e++) {
                            s += (double) q[qOff + row + e] * k[kOff + key + e];
                        }
                        boolean visible = keyMask == null || keyMask[mOff + b * Pk + j] != 0;
                        p[j] = visible ? scale * s : Double.NEGATIVE_INFINITY;
                        max = Math.max(max, p[j]);
                    }
                    Arrays.fill(acc, 0);
                    double sum = 0;
                    for (int j = 0; max != Double.NEGATIVE_INFINITY && j <= Pk - Pq + i; j++) {
                        if (p[j] == Double.NEGATIVE_INFINITY) {
                            continue; // masked: contributes nothing, whatever v holds
                        }
                        double w = Math.exp(p[j] - max);
                        sum += w;
                        for (int e = 0; e < E; e++) {
                            acc[e] += w * v[vOff + ((b * Pk + j) * H + h) * E + e];
                        }
                    }
                    for (int e = 0; e < E; e++) {
                        z[zOff + row + e] = sum == 0 ? 0f : (float) (acc[e] / sum);
                    }
                }
            }
        }
    }

    /**
     * One query row: scores of the first {@code visible} keys (stride {@code stride} apart from k[kRow]), masked
     * to -inf, exponentiated in place, then z[zRow..] = sum_j p_j v[vRow + j*stride ..] / sum_j p_j.
     */
    private static void query(float[] z, int zRow, float[] q, int qRow, float[] k, int kRow, float[] v, int vRow,
            float[] keyMask, int mRow, int visible, int stride, int E, float scale, float[] scores) {
        scoreKeys(scores, q, qRow, k, kRow, visible, stride, E, scale);
        for (int j = 0; keyMask != null && j < visible; j++) {
            if (keyMask[mRow + j] == 0) {
                scores[j] = Float.NEGATIVE_INFINITY;
            }
        }
        float max = Reductions.maxRow(scores, 0, visible);
        Arrays.fill(z, zRow, zRow + E, 0f);
        if (max == Float.NEGATIVE_INFINITY) {
            return;
        }
        double sum = Softmax.expShifted(scores, 0, scores, 0, visible, max);
        weightValues(z, zRow, scores, v, vRow, visible, stride, E);
        Elementwise.scaleVector(z, zRow, z, zRow, (float) (1 / sum), E);
    }

    /** scores[j] = scale * q[qRow..] . k[kRow + j*stride ..] for j &lt; visible; four keys per step share q's loads. */
    private static void scoreKeys(float[] scores, float[] q, int qRow, float[] k, int kRow, int visible, int stride,
            int E, float scale) {
        int j = 0;
        for (; j + 4 <= visible; j += 4) {
            int k0 = kRow + j * stride;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int e = 0;
            for (int bound = SPECIES.loopBound(E); e < bound; e += SPECIES.length()) {
                FloatVector qv = FloatVector.fromArray(SPECIES, q, qRow + e);
                a0 = qv.fma(FloatVector.fromArray(SPECIES, k, k0 + e), a0);
                a1 = qv.fma(FloatVector.fromArray(SPECIES, k, k0 + stride + e), a1);
                a2 = qv.fma(FloatVector.fromArray(SPECIES, k, k0 + 2 * stride + e), a2);
                a3 = qv.fma(FloatVector.fromArray(SPECIES, k, k0 + 3 * stride + e), a3);
            }
            float s0 = Lanes.sum(a0);
            float s1 = Lanes.sum(a1);
            float s2 = Lanes.sum(a2);
            float s3 = Lanes.sum(a3);
            for (; e < E; e++) {
                s0 = Math.fma(q[qRow + e], k[k0 + e], s0);
                s1 = Math.fma(q[qRow + e], k[k0 + stride + e], s1);
                s2 = Math.fma(q[qRow + e], k[k0 + 2 * stride + e], s2);
                s3 = Math.fma(q[qRow + e], k[k0 + 3 * stride + e], s3);
            }
            scores[j] = scale * s0;
            scores[j + 1] = scale * s1;
            scores[j + 2] = scale * s2;
            scores[j + 3] = scale * s3;
        }
        for (; j < visible; j++) {
            scores[j] = scale * dot(q, qRow, k, kRow + j * stride, E);
        }
    }

    /**
     * z[zRow..] += sum_j p[j] v[vRow + j*stride ..] over j &lt; visible, four keys per step sharing z's loads and
     * stores. Keys of weight 0 (masked) are skipped, so that whatever their v holds contributes nothing.
     */
    private static void weightValues(float[] z, int zRow, float[] p, float[] v, int vRow, int visible, int stride,
            int E) {
        int j = 0;
        for (; j + 4 <= visible; j += 4) {
            if (p[j] == 0 || p[j + 1] == 0 || p[j + 2] == 0 || p[j + 3] == 0) {
                for (int t = j; t < j + 4; t++) {
                    axpy(z, zRow, p[t], v, vRow + t * stride, E);
                }
                continue;
            }
            int v0 = vRow + j * stride;
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[j]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[j + 1]);
            FloatVector p2 = FloatVector.broadcast(SPECIES, p[j + 2]);
            FloatVector p3 = FloatVector.broadcast(SPECIES, p[j + 3]);
            int e = 0;
            for (int bound = SPECIES.loopBound(E); e < bound; e += SPECIES.length()) {
                FloatVector acc = FloatVector.fromArray(SPECIES, z, zRow + e);
                acc = FloatVector.fromArray(SPECIES, v, v0 + e).fma(p0, acc);
                acc = FloatVector.fromArray(SPECIES, v, v0 + stride + e).fma(p1, acc);
                acc = FloatVector.fromArray(SPECIES, v, v0 + 2 * stride + e).fma(p2, acc);
                acc = FloatVector.fromArray(SPECIES, v, v0 + 3 * stride + e).fma(p3, acc);
                acc.intoArray(z, zRow + e);
            }
            for (; e < E; e++) {
                float acc = Math.fma(p[j], v[v0 + e], z[zRow + e]);
                acc = Math.fma(p[j + 1], v[v0 + stride + e], acc);
                acc = Math.fma(p[j + 2], v[v0 + 2 * stride + e], acc);
                z[zRow + e] = Math.fma(p[j + 3], v[v0 + 3 * stride + e], acc);
            }
        }
        for (; j < visible; j++) {
            axpy(z, zRow, p[j], v, vRow + j * stride, E);
        }
    }

    /** a[aOff..aOff+n) . b[bOff..bOff+n) with vector FMA and a scalar tail. */
    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
        }
        float s = Lanes.sum(acc);
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    /** y[yOff..yOff+n) += alpha * x[xOff..xOff+n) with vector FMA and a scalar tail; nothing when alpha is 0. */
    private static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        if (alpha == 0) {
            return;
        }
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOff + i).fma(a, FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }
}
