// Row reductions: one block per row of a contiguous [R, N] input (the reduced dim moved last by the launcher).
//
//   reduce_rows  out[r] = sum_j x[r, j]                           op 0 (sum)
//                       = sum_j x[r, j] / N                       op 1 (mean)
//                       = max_j x[r, j]                           op 2 (max)
//                       = m + log(sum_j exp(x[r, j] - m)), m=max  op 3 (logsumexp; -inf when m = -inf)
// Shapes: x [R, N], out [R]. Launcher: dev.jlens.kernels.cuda.Reductions. Reference: cpu.Reductions.
#include "block_reduce.cuh"

extern "C" __global__ void reduce_rows(float* out, const float* x, int rows, int n, int op) {
    int r = blockIdx.x;
    if (r >= rows) {
        return;
    }
    const float* row = x + (long long) r * n;
    if (op == 2 || op == 3) {
        float m = -INFINITY;
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            m = fmaxf(m, row[j]);
        }
        m = block_max(m);
        if (op == 2 || m == -INFINITY) {
            if (threadIdx.x == 0) {
                out[r] = m;
            }
            return;
        }
        float s = 0.0f;
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            s += expf(row[j] - m);
        }
        s = block_sum(s);
        if (threadIdx.x == 0) {
            out[r] = m + logf(s);
        }
        return;
    }
    float s = 0.0f;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        s += row[j];
    }
    s = block_sum(s);
    if (threadIdx.x == 0) {
        out[r] = op == 1 ? s / n : s;
    }
}
