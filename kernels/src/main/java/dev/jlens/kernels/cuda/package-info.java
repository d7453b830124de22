/**
 * The CUDA backend: {@link dev.jlens.kernels.cuda.CudaBackend} over the CUDA driver API and cuBLAS, both bound
 * with {@code java.lang.foreign} (libcuda.so.1; libcublas.so.13 or .12), and our kernels compiled from
 * kernels/src/main/cuda/*.cu to PTX at build time and loaded with cuModuleLoadData. One launcher class per .cu file
 * (Elementwise, Reductions, Softmax, LayerNorm, Attention, Embedding), kernel names in {@link
 * dev.jlens.kernels.cuda.Kernel}, the row-major to column-major GEMM mapping in {@link
 * dev.jlens.kernels.cuda.GemmArgs}. Launchers talk to a {@code CudaContext} ({@code DriverContext} on a GPU; a
 * simulated device in tests). {@link dev.jlens.kernels.cuda.Cuda} probes the machine once and turns every failure
 * into a reason, never a crash.
 * May import: {@code dev.jlens.tensor} and its subpackages, {@code dev.jlens.kernels.cpu} and
 * {@code dev.jlens.kernels.scalar} (the host fallback), {@code java.lang.foreign}, the JDK.
 */
package dev.jlens.kernels.cuda;
