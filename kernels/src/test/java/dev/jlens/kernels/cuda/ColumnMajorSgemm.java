// cublasSgemmStridedBatched's documented math (alpha 1, beta 0, column-major) in plain Java, for tests.
package dev.jlens.kernels.cuda;

/**
 * C = op(A) op(B) per batch entry, column-major: element (i, j) of a matrix with leading dimension ld sits at
 * i + j * ld, and op T swaps the indices. This is cuBLAS's contract, so running {@link GemmArgs} through it on
 * row-major buffers checks the mapping without a GPU.
 */
final class ColumnMajorSgemm {
    /** Float memory addressed as (base address, element index). */
    interface Memory {
        float get(long address, long index);

        void set(long address, long index, float value);
    }

    private ColumnMajorSgemm() {}

    static void run(GemmArgs g, Memory memory) {
        for (int p = 0; p < g.batch(); p++) {
            for (int i = 0; i < g.m(); i++) {
                for (int j = 0; j < g.n(); j++) {
                    double sum = 0;
                    for (int l = 0; l < g.k(); l++) {
                        long ia = g.transA() == GemmArgs.OP_N ? i + (long) l * g.lda() : l + (long) i * g.lda();
                        long ib = g.transB() == GemmArgs.OP_N ? l + (long) j * g.ldb() : j + (long) l * g.ldb();
                        sum += (double) memory.get(g.a(), p * g.strideA() + ia) * memory.get(g.b(), p * g.strideB() + ib);
                    }
                    memory.set(g.c(), p * g.strideC() + i + (long) j * g.ldc(), (float) sum);
                }
            }
        }
    }
}
