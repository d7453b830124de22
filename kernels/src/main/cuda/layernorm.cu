// Layer norm over the last dim: one block per row of a contiguous [R, D] input (R = B * P).
//
//   mean = sum_d x[r, d] / D;   var = sum_d (x[r, d] - mean)^2 / D  (biased, two passes)
//   out[r, d] = (x[r, d] - mean) / sqrt(var + eps) * w[d] + b[d]     (w, b may be null: TL's LNPre)
// Shapes: x, out [R, D]; w, b [D]. Launcher: dev.jlens.kernels.cuda.LayerNorm.
// Reference: TL components/layer_norm.py, llm.c layernorm_forward, cpu.LayerNorm.
#include "block_reduce.cuh"

extern "C" __global__ void layernorm_rows(float* out, const float* x, const float* w, const float* b, int rows, int d,
                                          float eps) {
    int r = blockIdx.x;
    if (r >= rows) {
        return;
    }
    const float* row = x + (long long) r * d;
    float* dst = out + (long long) r * d;
    float s = 0.0f;
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
        s += row[j];
    }
    float mean = block_sum(s) / d;
    float v = 0.0f;
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
        float c = row[j] - mean;
        v += c * c;
    }
    float rstd = 1.0f / sqrtf(block_sum(v) / d + eps);
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
        float y = (row[j] - mean) * rstd;
        if (w != nullptr) {
            y *= w[j];
        }
        if (b != nullptr) {
            y += b[j];
        }
        dst[j] = y;
    }
}
