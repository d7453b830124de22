// Elementwise kernels over strided views (Layout, see layout.cuh): copy, fill, binary ops, unary ops, gelu_new.
//
// Shapes: any rank <= 8, n = numel; outputs of binary/unary are contiguous [n]; broadcasting arrives as stride-0
// dims (Tensor expands both operands before the backend sees them).
//   copy_strided   dst[dl(i)] = src[sl(i)]
//   fill_strided   dst[dl(i)] = value
//   binary_strided out[i] = a[al(i)] (op) b[bl(i)],   op: 0 add, 1 sub, 2 mul, 3 div
//   unary_strided  out[i] = f(a[al(i)]),             op: 0 exp, 1 log, 2 tanh, 3 sqrt,
//                  4 gelu_new = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (TL's gelu_new), 5 alpha * x
// Launcher: dev.jlens.kernels.cuda.Elementwise. Reference: dev.jlens.kernels.cpu.Elementwise and cpu.Gelu.
#include "layout.cuh"

extern "C" __global__ void copy_strided(float* dst, Layout dl, const float* src, Layout sl, long long n) {
    FOR_EACH_ELEMENT(i, n) {
        dst[layout_offset(dl, i)] = src[layout_offset(sl, i)];
    }
}

extern "C" __global__ void fill_strided(float* dst, Layout dl, float value, long long n) {
    FOR_EACH_ELEMENT(i, n) {
        dst[layout_offset(dl, i)] = value;
    }
}

extern "C" __global__ void binary_strided(float* out, const float* a, Layout al, const float* b, Layout bl, int op,
                                          long long n) {
    FOR_EACH_ELEMENT(i, n) {
        float x = a[layout_offset(al, i)];
        float y = b[layout_offset(bl, i)];
        float r;
        switch (op) {
            case 0: r = x + y; break;
            case 1: r = x - y; break;
            case 2: r = x * y; break;
            default: r = x / y; break;
        }
        out[i] = r;
    }
}

__device__ __forceinline__ float gelu_new(float x) {
    const float k = 0.7978845608028654f;  // sqrt(2 / pi)
    return 0.5f * x * (1.0f + tanhf(k * (x + 0.044715f * x * x * x)));
}

extern "C" __global__ void unary_strided(float* out, const float* a, Layout al, int op, float alpha, long long n) {
    FOR_EACH_ELEMENT(i, n) {
        float x = a[layout_offset(al, i)];
        float r;
        switch (op) {
            case 0: r = expf(x); break;
            case 1: r = logf(x); break;
            case 2: r = tanhf(x); break;
            case 3: r = sqrtf(x); break;
            case 4: r = gelu_new(x); break;
            default: r = alpha * x; break;
        }
        out[i] = r;
    }
}
