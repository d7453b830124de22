// Strided views passed by value to the elementwise kernels, and the index math that walks them.
//
// A Layout describes a tensor view of rank <= 8: element i (row-major over shape) lives at
//   base + sum_d idx_d(i) * stride[d],   idx_d(i) = (i / prod_{e>d} shape[e]) % shape[d]
// A broadcast dim has stride 0. The Java twin is dev.jlens.kernels.cuda.Layout (same field order: 68 bytes).
#pragma once

#define JLENS_MAX_RANK 8

struct Layout {
    int rank;
    int shape[JLENS_MAX_RANK];
    int stride[JLENS_MAX_RANK];
};

// Storage offset (in elements, relative to the view's base pointer) of row-major element i.
__device__ __forceinline__ long long layout_offset(const Layout& l, long long i) {
    long long off = 0;
    for (int d = l.rank - 1; d >= 0; d--) {
        int s = l.shape[d];
        off += (i % s) * (long long) l.stride[d];
        i /= s;
    }
    return off;
}

// Grid-stride loop over [0, n).
#define FOR_EACH_ELEMENT(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) gridDim.x * blockDim.x)
