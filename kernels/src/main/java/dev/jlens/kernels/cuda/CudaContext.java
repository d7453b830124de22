// What launchers and device tensors need from a CUDA device: memory, copies, kernel launches, GEMM, one stream.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Device;
import java.lang.foreign.MemorySegment;

/**
 * A CUDA device as the backend uses it. All work is queued on one stream in call order; downloads wait for it.
 * {@link DriverContext} is the real one (driver API + cuBLAS); tests also run the backend on a simulated one that
 * executes Java twins of the kernels, so the Java side is exercised without a GPU.
 */
interface CudaContext {
    /** The jlens device, cuda:N. */
    Device device();

    /** One line naming the device and the GEMM library. */
    String describe();

    /** {@code bytes} of device memory (uninitialized); throws {@link CudaException} naming the sizes when full. */
    long alloc(long bytes);

    /** Frees after the work queued so far (called by cleaners, on their thread). */
    void free(long address);

    /** Copies {@code bytes} from host memory to {@code dst}; {@code src} may be released when this returns. */
    void upload(long dst, MemorySegment src, long bytes);

    /** Copies {@code bytes} from {@code src} into host memory, after all queued work. */
    void download(MemorySegment dst, long src, long bytes);

    /** Sets {@code count} 32-bit words at {@code dst} to {@code bits} (0 for float zeros). */
    void memset32(long dst, int bits, long count);

    /**
     * Queues {@code kernel}; a failed launch throws a {@link CudaException} naming the kernel, grid, block, shared
     * memory and {@code shapes}. Arguments that do not match the kernel's parameter types are a launcher bug.
     */
    void launch(Kernel kernel, LaunchConfig config, KernelArgs args, String shapes);

    /** Queues the product {@code g} (cuBLAS arguments from {@link GemmArgs}). */
    void gemm(GemmArgs g, String shapes);

    /** Throws when {@code args} do not match {@code kernel}'s PTX parameter types. */
    static void checkSignature(Kernel kernel, KernelArgs args) {
        if (!args.signature().equals(kernel.params())) {
            throw new IllegalStateException("launcher bug: " + kernel.entry() + " takes (" + kernel.params()
                    + ") but was given (" + args.signature() + ")");
        }
    }
}
