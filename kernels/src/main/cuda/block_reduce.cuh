// Block-wide sum and max for the row kernels (one block per row): warp shuffles, then one warp over the warps.
//
// Every thread of the block must call with its partial value; every thread gets the block's result.
// blockDim.x must be a multiple of 32 and at most 1024 (the launchers use 128 or 256).
#pragma once

#include <math.h>

template <typename Op>
__device__ float block_reduce(float v, float identity, Op op) {
    __shared__ float scratch[32];
    for (int o = 16; o > 0; o >>= 1) {
        v = op(v, __shfl_down_sync(0xffffffffu, v, o));
    }
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    if (warp == 0) {
        v = threadIdx.x < (blockDim.x >> 5) ? scratch[lane] : identity;
        for (int o = 16; o > 0; o >>= 1) {
            v = op(v, __shfl_down_sync(0xffffffffu, v, o));
        }
        if (lane == 0) {
            scratch[0] = v;
        }
    }
    __syncthreads();
    float result = scratch[0];
    __syncthreads();  // scratch is reused by the next call
    return result;
}

struct SumOp {
    __device__ float operator()(float a, float b) const { return a + b; }
};

struct MaxOp {
    __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

__device__ __forceinline__ float block_sum(float v) { return block_reduce(v, 0.0f, SumOp()); }

__device__ __forceinline__ float block_max(float v) { return block_reduce(v, -INFINITY, MaxOp()); }
