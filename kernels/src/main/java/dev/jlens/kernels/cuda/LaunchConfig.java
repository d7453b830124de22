// Grid and block sizes for the kernels of kernels/src/main/cuda: one thread per element, or one block per row.
package dev.jlens.kernels.cuda;

/**
 * A 1-D launch configuration: {@code grid} blocks of {@code block} threads with {@code sharedBytes} of dynamic
 * shared memory.
 *
 * @param grid        blocks (gridDim.x), 1 .. 2^31-1
 * @param block       threads per block (blockDim.x), 32 .. 1024, a multiple of 32 for the row kernels
 * @param sharedBytes dynamic shared memory per block
 */
record LaunchConfig(int grid, int block, int sharedBytes) {
    /** Threads per block of the grid-stride elementwise kernels. */
    static final int ELEMENT_THREADS = 256;
    /** At most this many blocks for a grid-stride loop; each thread then handles several elements. */
    static final int MAX_ELEMENT_BLOCKS = 65_536;
    /** Threads per block of the one-block-per-row kernels (block_reduce.cuh needs a multiple of 32). */
    static final int MAX_ROW_THREADS = 256;

    LaunchConfig {
        if (grid < 1 || block < 1 || block > 1024 || sharedBytes < 0) {
            throw new IllegalArgumentException("invalid CUDA launch: grid " + grid + ", block " + block + ", shared "
                    + sharedBytes + " bytes");
        }
    }

    /** Grid-stride elementwise kernel over {@code n > 0} elements: ceil(n / 256) blocks, capped at 65536. */
    static LaunchConfig elementwise(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("elementwise launch over " + n + " elements; skip empty tensors");
        }
        long blocks = (n + ELEMENT_THREADS - 1) / ELEMENT_THREADS;
        return new LaunchConfig((int) Math.min(blocks, MAX_ELEMENT_BLOCKS), ELEMENT_THREADS, 0);
    }

    /**
     * One block per row of {@code n} elements: {@code rows} blocks of n rounded up to a warp, at most 256 threads
     * (a longer row is strided over the block).
     */
    static LaunchConfig rows(int rows, int n, int sharedBytes) {
        int threads = Math.min(MAX_ROW_THREADS, Math.max(32, (n + 31) / 32 * 32));
        return new LaunchConfig(rows, threads, sharedBytes);
    }

    @Override
    public String toString() {
        return "grid (" + grid + ",1,1), block (" + block + ",1,1), shared " + sharedBytes + " bytes";
    }
}
