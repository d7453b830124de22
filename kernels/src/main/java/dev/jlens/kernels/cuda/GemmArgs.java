// The one place where a row-major product becomes cuBLAS's column-major sgemm arguments (operands swapped).
package dev.jlens.kernels.cuda;

/**
 * cuBLAS sgemm arguments, in cuBLAS's order, for a row-major (batched) product C = op(A) op(B) with C [M, N],
 * op(A) [M, K], op(B) [K, N].
 *
 * <p>A row-major matrix X [R, C] with row stride ld is, read column-major, X^T [C, R] with leading dimension ld.
 * So the row-major C is the column-major C^T = op(B)^T op(A)^T: cuBLAS gets m = N, n = M, B's memory as its first
 * operand (with B's transpose flag and ld) and A's memory as its second. Nothing is copied or transposed.
 *
 * @param transA  cuBLAS op of cuBLAS's first operand (0 = N, 1 = T)
 * @param transB  cuBLAS op of cuBLAS's second operand
 * @param m       rows of the column-major result (= N)
 * @param n       columns of the column-major result (= M)
 * @param k       K
 * @param a       address of cuBLAS's first operand (B's memory); lda, strideA likewise
 * @param b       address of cuBLAS's second operand (A's memory); ldb, strideB likewise
 * @param c       address of C; ldc its row stride, strideC elements between batch entries
 * @param batch   number of products (1: cublasSgemm; more: cublasSgemmStridedBatched)
 */
record GemmArgs(int transA, int transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                long strideB, long c, int ldc, long strideC, int batch) {
    /** CUBLAS_OP_N. */
    static final int OP_N = 0;
    /** CUBLAS_OP_T. */
    static final int OP_T = 1;

    /**
     * A row-major matrix operand in device memory.
     *
     * @param address    device address of element [0, 0] of batch entry 0
     * @param transposed stored as the transpose of the matrix the product uses (A stored [K, M], B stored [N, K])
     * @param ld         row stride as stored (at least the stored row length)
     * @param stride     elements between batch entries (0 shares one matrix across the batch)
     */
    record Operand(long address, boolean transposed, int ld, long stride) {}

    /** The row-major product C [M, N] = op(A) [M, K] op(B) [K, N], {@code batch} times; C is never transposed. */
    static GemmArgs rowMajor(int m, int n, int k, Operand a, Operand b, Operand c, int batch) {
        if (m < 1 || n < 1 || k < 1 || batch < 1) {
            throw new IllegalArgumentException("gemm: M=" + m + ", N=" + n + ", K=" + k + ", batch=" + batch
                    + " must all be positive (skip empty products before calling cuBLAS)");
        }
        if (c.transposed()) {
            throw new IllegalArgumentException("gemm: the output C cannot be transposed");
        }
        requireLd("A", a.ld(), a.transposed() ? m : k);
        requireLd("B", b.ld(), b.transposed() ? k : n);
        requireLd("C", c.ld(), n);
        return new GemmArgs(op(b), op(a), n, m, k, b.address(), b.ld(), b.stride(), a.address(), a.ld(), a.stride(),
                c.address(), c.ld(), c.stride(), batch);
    }

    private static int op(Operand x) {
        return x.transposed() ? OP_T : OP_N;
    }

    private static void requireLd(String which, int ld, int rowLength) {
        if (ld < rowLength) {
            throw new IllegalArgumentException("gemm: row stride of " + which + " is " + ld + " but its stored rows hold "
                    + rowLength + " elements");
        }
    }
}
