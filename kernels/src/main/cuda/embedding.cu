// Embedding lookup (index_select on dim 0): rows of a table picked by token id.
//
//   gather_rows  out[c, d] = table[index[c], d]
// Shapes: table [V, D] contiguous, index [C] int32 (already range-checked by Tensor), out [C, D].
// The positional add is an ordinary binary add. Launcher: dev.jlens.kernels.cuda.Embedding.
// Reference: TL components/embed.py, llm.c encoder_forward, cpu.Embedding.
#include "layout.cuh"

extern "C" __global__ void gather_rows(float* out, const float* table, const int* index, int count, int d) {
    FOR_EACH_ELEMENT(i, (long long) count * d) {
        long long c = i / d;
        long long col = i % d;
        out[i] = table[(long long) index[c] * d + col];
    }
}
