// Fused causal attention, all heads: scores, causal + key mask, softmax and the value mix in one kernel.
//
//   one block per (b, i, h); query i sits at absolute position t = Pk - Pq + i;
//   key j is visible when j <= t and (mask == null or mask[b, j] != 0)
//   s_j = scale * sum_e q[b, i, h, e] k[b, j, h, e]                  (visible j; -inf otherwise)
//   z[b, i, h, e] = sum_j softmax(s)_j v[b, j, h, e]                (0 when no key is visible)
// Shapes: q, z [B, Pq, H, E]; k, v [B, Pk, H, E]; mask [B, Pk] or null; all contiguous.
// Dynamic shared memory: Pk floats (the scores of one query). Launcher: dev.jlens.kernels.cuda.Attention.
// Reference: TL components/abstract_attention.py (use_attn_result off), cpu.Attention.
#include "block_reduce.cuh"

extern "C" __global__ void causal_attention(float* z, const float* q, const float* k, const float* v,
                                            const float* mask, int B, int Pq, int Pk, int H, int E, float scale) {
    extern __shared__ float p[];  // [Pk]
    long long blk = blockIdx.x;
    int h = blk % H;
    int i = (blk / H) % Pq;
    int b = blk / ((long long) H * Pq);
    if (b >= B) {
        return;
    }
    int t = Pk - Pq + i;
    const float* qrow = q + (((long long) b * Pq + i) * H + h) * E;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < Pk; j += blockDim.x) {
        float s = -INFINITY;
        if (j <= t && (mask == nullptr || mask[(long long) b * Pk + j] != 0.0f)) {
            const float* krow = k + (((long long) b * Pk + j) * H + h) * E;
            float dot = 0.0f;
            for (int e = 0; e < E; e++) {
                dot += qrow[e] * krow[e];
            }
            s = scale * dot;
        }
        p[j] = s;
        m = fmaxf(m, s);
    }
    m = block_max(m);
    float* zrow = z + (((long long) b * Pq + i) * H + h) * E;
    if (m == -INFINITY) {
        for (int e = threadIdx.x; e < E; e += blockDim.x) {
            zrow[e] = 0.0f;
        }
        return;
    }
    float sum = 0.0f;
    for (int j = threadIdx.x; j < Pk; j += blockDim.x) {
        float w = expf(p[j] - m);
        p[j] = w;
        sum += w;
    }
    sum = block_sum(sum);  // also a barrier: every p[j] is written before the mix reads it
    for (int e = threadIdx.x; e < E; e += blockDim.x) {
        float acc = 0.0f;
        for (int j = 0; j <= t && j < Pk; j++) {
            acc += p[j] * v[(((long long) b * Pk + j) * H + h) * E + e];
        }
        zrow[e] = acc / sum;
    }
}
