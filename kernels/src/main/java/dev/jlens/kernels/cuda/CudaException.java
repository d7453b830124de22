// A failed CUDA driver or cuBLAS call, with the message formats for launch failures and out-of-memory errors.
package dev.jlens.kernels.cuda;

import java.util.Locale;

/**
 * A CUDA driver or cuBLAS call that returned an error. Messages name the call, the error code and its name, and
 * what was being done: the kernel, its launch configuration and tensor shapes for launches (llm.c's cudaCheck),
 * the bytes requested and free for allocations.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** CUDA_ERROR_OUT_OF_MEMORY in the driver API. */
    static final int OUT_OF_MEMORY = 2;

    /** The CUresult or cublasStatus_t the call returned. */
    private final int code;

    CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The CUresult or cublasStatus_t the call returned. */
    public int code() {
        return code;
    }

    /** A failed kernel launch or kernel execution, naming the kernel, grid, block, shared memory and shapes. */
    static String launchFailed(String kernel, LaunchConfig config, String shapes, String error) {
        return "CUDA kernel " + kernel + " failed: " + error + "; " + config + "; " + shapes;
    }

    /** An allocation the device could not satisfy, with the free and total memory cuMemGetInfo reported. */
    static String outOfMemory(long requested, long free, long total) {
        return String.format(Locale.ROOT, "CUDA out of memory: requested %s, but only %s of %s are free on the device",
                bytes(requested), bytes(free), bytes(total));
    }

    /** "123456789 bytes (117.7 MiB)". */
    static String bytes(long n) {
        return String.format(Locale.ROOT, "%d bytes (%.1f MiB)", n, n / (1024.0 * 1024.0));
    }
}
