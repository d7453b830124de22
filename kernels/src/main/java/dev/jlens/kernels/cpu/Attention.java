// Causal self-attention for all heads (TL components/abstract_attention.py up to hook_z; llm.c attention_forward
// without the qkv split). q [B, Pq, H, E], k and v [B, Pk, H, E], Pq <= Pk; query i sits at absolute position
// t = Pk - Pq + i (the last Pq positions, as with a KV cache) and sees the keys j <= t whose keyMask[b, j]
// (keyMask [B, Pk], null = all) is non-zero:
//   s[b,h,i,j] = scale * q[b,i,h,:] . k[b,j,h,:] if visible, else -inf    (TL hook_attn_scores; scores())
//   p[b,h,i,:] = Softmax.row(s[b,h,i,:]) over all Pk keys                  (TL hook_pattern)
//   z[b,i,h,:] = sum_j p[b,h,i,j] v[b,j,h,:], terms of weight 0 skipped    (TL hook_z; mix())
// causal() runs the three per query row in one scratch row of Pk, with the very same row functions, so its z equals
// mix(softmax(scores())) bit for bit: observing scores or pattern never changes z. A query with no visible key gets
// p = 0 and z = 0 (Softmax's all -inf rule). Work is split over (b, h, block of QUERY_BLOCK queries).
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Causal multi-head attention: the fused kernel from q, k, v to z (no [Pq, Pk] pattern stored, one scratch row per
 * task) and its two halves, scores and the pattern-weighted sum of values, for runs that observe or replace TL's
 * hook_attn_scores and hook_pattern. Arrays are contiguous row-major at their offsets.
 */
public final class Attention {
    /** Queries per task: enough work to amortize a task and its scratch row, small enough to balance threads. */
    private static final int QUERY_BLOCK = 16;
    /**
     * An attention multiply-add in {@link CpuThreads#parallelFor}'s units (a GEMM's): keys and values are read from
     * buffers far larger than L1, each score is a lane reduction and an exp. A batch-8 decode step (B H = 96 rows of
     * ~60 keys per layer) took ~100 ns per key and head on one thread, and ran inline at a cost of 1: half the cores
     * idle.
     */
    private static final long FMA_COST = 8;

    private Attention() {}

    /** One query row (b, h, i) of a kernel, given a scratch row of Pk floats owned by the calling task. */
    @FunctionalInterface
    private interface QueryRow {
        void run(int b, int h, int i, float[] scratch);
    }

    /**
     * Where the E floats of key (or value) j of head h of batch b start: {@code off + b*batch + j*position + h*head}.
     * Dense [B, Pk, H, E] is {@link #dense}; a KV cache's buffers [B, H, capacity, E] read in place are
     * (H capacity E, E, capacity E), each head's keys one contiguous run.
     */
    public record Strides(int batch, int position, int head) {
        /** The strides of dense [B, pk, h, e]. */
        public static Strides dense(int pk, int h, int e) {
            return new Strides(pk * h * e, h * e, e);
        }
    }

    /**
     * z [B, Pq, H, E] = causal attention of q [B, Pq, H, E] over k, v [B, Pk, H, E] (see the file header), k and v
     * laid out as {@code kAt} and {@code vAt} say (dense, or a KV cache's buffers read without a copy). keyMask
     * [B, Pk] at {@code mOff}: key j of batch b is visible when non-zero; null means all visible. {@code scale}
     * multiplies q.k, usually 1 / sqrt(E).
     */
    public static void causal(float[] z, int zOff, float[] q, int qOff, float[] k, int kOff, Strides kAt, float[] v,
            int vOff, Strides vAt, float[] keyMask, int mOff, int B, int Pq, int Pk, int H, int E, float scale) {
        long fmas = 2L * B * H * Pq * Pk * E; // at most: q.k and p.v over every key
        eachQuery(B, H, Pq, Pk, fmas, (b, h, i, scores) -> {
            int row = ((b * Pq + i) * H + h) * E; // row of query i of (b, h) in q and z
            scoreRow(scores, 0, q, qOff + row, k, kOff + b * kAt.batch() + h * kAt.head(), keyMask, mOff + b * Pk,
                    Pk - Pq + i, Pk, kAt.position(), E, scale);
            Softmax.row(scores, 0, scores, 0, Pk);
            mixRow(z, zOff + row, scores, 0, v, vOff + b * vAt.batch() + h * vAt.head(), Pk - Pq + i + 1,
                    vAt.position(), E);
        });
    }

    /** Scalar twin of {@link #causal}: the same three steps with scores, softmax and z in double. */
    static void causalScalar(float[] z, int zOff, float[] q, int qOff, float[] k, int kOff, float[] v,
            int vOff, float[] keyMask, int mOff, int B, int Pq, int Pk, int H, int E, float scale) {
        float[] scores = new float[Pk];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < Pq; i++) {
                    int row = ((b * Pq + i) * H + h) * E;
                    int kv = (b * Pk * H + h) * E;
                    scoreRowScalar(scores, 0, q, qOff + row, k, kOff + kv, Pk - Pq + i + 1, H * E, E, scale);
                    mask(scores, 0, keyMask, mOff + b * Pk, Pk - Pq + i, Pk);
                    Softmax.softmaxScalar(scores, 0, scores, 0, 1, Pk);
                    mixRowScalar(z, zOff + row, scores, 0, v, vOff + kv, Pk, H * E, E);
                }
            }
        }
    }

    /**
     * TL's hook_attn_scores: out [B, H, Pq, Pk] = scale * q.k where key j is visible to query i, -inf elsewhere
     * (arguments as {@link #causal}).
     */
    public static void scores(float[] out, int oOff, float[] q, int qOff, float[] k, int kOff, float[] keyMask,
            int mOff, int B, int Pq, int Pk, int H, int E, float scale) {
        long fmas = (long) B * H * Pq * Pk * E;
        eachQuery(B, H, Pq, 0, fmas, (b, h, i, unused) -> scoreRow(out, oOff + ((b * H + h) * Pq + i) * Pk, q,
                qOff + ((b * Pq + i) * H + h) * E, k, kOff + (b * Pk * H + h) * E, keyMask, mOff + b * Pk,
                Pk - Pq + i, Pk, H * E, E, scale));
    }

    /**
     * TL's z = pattern . v: z [B, Pq, H, E] = sum over all Pk keys of pattern [B, H, Pq, Pk] times v [B, Pk, H, E],
     * skipping weights of exactly 0 (so a masked key's value contributes nothing, even NaN).
     */
    public static void mix(float[] z, int zOff, float[] pattern, int pOff, float[] v, int vOff, int B, int Pq, int Pk,
            int H, int E) {
        long fmas = (long) B * H * Pq * Pk * E;
        eachQuery(B, H, Pq, 0, fmas, (b, h, i, unused) -> mixRow(z, zOff + ((b * Pq + i) * H + h) * E, pattern,
                pOff + ((b * H + h) * Pq + i) * Pk, v, vOff + (b * Pk * H + h) * E, Pk, H * E, E));
    }

    /**
     * Runs {@code row} for every (b, h, query), in parallel over (b, h, block of queries) when {@code fmas} (the
     * multiply-adds of all rows) is worth handing out, one scratch per task.
     */
    private static void eachQuery(int B, int H, int Pq, int scratch, long fmas, QueryRow row) {
        int blocks = (Pq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        CpuThreads.parallelFor(B * H * blocks, fmas * FMA_COST, task -> {
            int b = task / (H * blocks);
            int h = task / blocks % H;
            int first = task % blocks * QUERY_BLOCK;
            float[] scores = new float[scratch];
            for (int i = first; i < Math.min(Pq, first + QUERY_BLOCK); i++) {
                row.run(b, h, i, scores);
            }
        });
    }

    /**
     * One row of scores out[o .. o + Pk) for the query at absolute position {@code last}: scale * q.k_j for the keys
     * j &lt;= last (k_j at kRow + j*stride), then the visibility rule: -inf for keys after {@code last} or masked out.
     */
    private static void scoreRow(float[] out, int o, float[] q, int qRow, float[] k, int kRow, float[] keyMask,
            int mRow, int last, int Pk, int stride, int E, float scale) {
        if (VectorWidth.SCALAR) {
            scoreRowScalar(out, o, q, qRow, k, kRow, last + 1, stride, E, scale);
        } else {
            scoreKeys(out, o, q, qRow, k, kRow, last + 1, stride, E, scale);
        }
        mask(out, o, keyMask, mRow, last, Pk);
    }

    /** The visibility rule: row[o + j] = -inf for keys j after {@code last} and keys whose keyMask entry is 0. */
    private static void mask(float[] row, int o, float[] keyMask, int mRow, int last, int Pk) {
        for (int j = 0; keyMask != null && j <= last; j++) {
            if (keyMask[mRow + j] == 0) {
                row[o + j] = Float.NEGATIVE_INFINITY;
            }
        }
        Arrays.fill(row, o + last + 1, o + Pk, Float.NEGATIVE_INFINITY);
    }

    /** out[o + j] = scale * q.k_j in double, rounded once, for j &lt; visible. */
    private static void scoreRowScalar(float[] out, int o, float[] q, int qRow, float[] k, int kRow, int visible,
            int stride, int E, float scale) {
        for (int j = 0; j < visible; j++) {
            double s = 0;
            for (int e = 0; e < E; e++) {
                s += (double) q[qRow + e] * k[kRow + j * stride + e];
            }
            out[o + j] = (float) (scale * s);
        }
    }

    /** z[zRow .. zRow + E) = sum_j p[pRow + j] v[vRow + j*stride ..] over j &lt; n, weights of 0 skipped. */
    private static void mixRow(float[] z, int zRow, float[] p, int pRow, float[] v, int vRow, int n, int stride,
            int E) {
        if (VectorWidth.SCALAR) {
            mixRowScalar(z, zRow, p, pRow, v, vRow, n, stride, E);
            return;
        }
        Arrays.fill(z, zRow, zRow + E, 0f);
        weightValues(z, zRow, p, pRow, v, vRow, n, stride, E);
    }

    /** Scalar twin of {@link #mixRow}: each z entry accumulated in double, rounded once. */
    private static void mixRowScalar(float[] z, int zRow, float[] p, int pRow, float[] v, int vRow, int n, int stride,
            int E) {
        for (int e = 0; e < E; e++) {
            double acc = 0;
            for (int j = 0; j < n; j++) {
                if (p[pRow + j] != 0) {
                    acc += (double) p[pRow + j] * v[vRow + j * stride + e];
                }
            }
            z[zRow + e] = (float) acc;
        }
    }

    /** scores[o + j] = scale * q[qRow..] . k[kRow + j*stride ..] for j &lt; visible; four keys per step share q. */
    private static void scoreKeys(float[] scores, int o, float[] q, int qRow, float[] k, int kRow, int visible,
            int stride, int E, float scale) {
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
            scores[o + j] = scale * s0;
            scores[o + j + 1] = scale * s1;
            scores[o + j + 2] = scale * s2;
            scores[o + j + 3] = scale * s3;
        }
        for (; j < visible; j++) {
            scores[o + j] = scale * dot(q, qRow, k, kRow + j * stride, E);
        }
    }

    /**
     * z[zRow..] += sum_j p[pRow + j] v[vRow + j*stride ..] over j &lt; n, four keys per step sharing z's loads and
     * stores. Keys of weight 0 (masked) are skipped, so that whatever their v holds contributes nothing; a skipped
     * key changes no bit of the other keys' sum, so n may run past the last non-zero weight.
     */
    private static void weightValues(float[] z, int zRow, float[] p, int pRow, float[] v, int vRow, int n,
            int stride, int E) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int w = pRow + j;
            if (p[w] == 0 || p[w + 1] == 0 || p[w + 2] == 0 || p[w + 3] == 0) {
                for (int t = j; t < j + 4; t++) {
                    axpy(z, zRow, p[pRow + t], v, vRow + t * stride, E);
                }
                continue;
            }
            int v0 = vRow + j * stride;
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[w]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[w + 1]);
            FloatVector p2 = FloatVector.broadcast(SPECIES, p[w + 2]);
            FloatVector p3 = FloatVector.broadcast(SPECIES, p[w + 3]);
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
                float acc = Math.fma(p[w], v[v0 + e], z[zRow + e]);
                acc = Math.fma(p[w + 1], v[v0 + stride + e], acc);
                acc = Math.fma(p[w + 2], v[v0 + 2 * stride + e], acc);
                z[zRow + e] = Math.fma(p[w + 3], v[v0 + 3 * stride + e], acc);
            }
        }
        for (; j < n; j++) {
            axpy(z, zRow, p[pRow + j], v, vRow + j * stride, E);
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
