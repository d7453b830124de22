// softmax and log_softmax along the last dim: one block per row of a contiguous [R, N] input.
//
//   softmax_rows  out[r, j] = exp(x[r, j] - m) / sum_k exp(x[r, k] - m),   m = max_k x[r, k]       (log = 0)
//                 out[r, j] = x[r, j] - m - log(sum_k exp(x[r, k] - m))                           (log = 1)
// A row that is entirely -inf (fully masked) gives 0 (softmax) or -inf (log_softmax), as TransformerLens.
// Shapes: x, out [R, N]. Launcher: dev.jlens.kernels.cuda.Softmax. Reference: cpu.Softmax, llm.c softmax_forward.
#include "block_reduce.cuh"

extern "C" __global__ void softmax_rows(float* out, const float* x, int rows, int n, int log) {
    int r = blockIdx.x;
    if (r >= rows) {
        return;
    }
    const float* row = x + (long long) r * n;
    float* dst = out + (long long) r * n;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        m = fmaxf(m, row[j]);
    }
    m = block_max(m);
    if (m == -INFINITY) {
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            dst[j] = log ? -INFINITY : 0.0f;
        }
        return;
    }
    float s = 0.0f;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        s += expf(row[j] - m);
    }
    s = block_sum(s);
    float logSum = logf(s);
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        dst[j] = log ? row[j] - m - logSum : expf(row[j] - m) / s;
    }
}
