// FFM binding of cuBLAS's sgemm calls (libcublas.so.13 or .12, whichever loads), on the backend's stream.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * cublasSgemm_v2 and cublasSgemmStridedBatched through {@code java.lang.foreign}. The library is found by soname
 * ({@code -Djlens.cuda.cublas=PATH} first, then libcublas.so.13, libcublas.so.12, then the same under
 * $CUDA_HOME/lib64 and /usr/local/cuda/lib64), so CUDA 12 and CUDA 13 installations both work. FP32 GEMMs use
 * CUBLAS_DEFAULT_MATH (full fp32); TF32 tensor cores only with {@code -Djlens.cuda.tf32=true}.
 */
final class Cublas {
    private static final int DEFAULT_MATH = 0;
    private static final int TF32_TENSOR_OP_MATH = 3;

    private final NativeLibrary lib;
    private final MethodHandle sgemm;
    private final MethodHandle sgemmStridedBatched;
    private final MethodHandle getStatusString;
    private final MemorySegment handle;
    private final boolean tf32;

    private Cublas(NativeLibrary lib, MemorySegment stream, boolean tf32) {
        this.lib = lib;
        this.tf32 = tf32;
        sgemm = lib.function("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        sgemmStridedBatched = lib.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG,
                JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        getStatusString = lib.function("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cublasCreate_v2", Driver.call(lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT,
                    ADDRESS)), out));
            handle = out.get(ADDRESS, 0);
        }
        check("cublasSetStream_v2", Driver.call(lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS)), handle, stream));
        check("cublasSetMathMode", Driver.call(lib.function("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT)), handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH));
    }

    /** Opens cuBLAS and creates a handle bound to {@code stream}; the context must be current. */
    static Cublas create(MemorySegment stream) {
        return new Cublas(NativeLibrary.open("cuBLAS", candidates()), stream, Boolean.getBoolean("jlens.cuda.tf32"));
    }

    /** The library names tried, in order. */
    static List<String> candidates() {
        List<String> names = new ArrayList<>();
        String forced = System.getProperty("jlens.cuda.cublas");
        if (forced != null && !forced.isBlank()) {
            names.add(forced);
        }
        List<String> sonames = List.of("libcublas.so.13", "libcublas.so.12");
        names.addAll(sonames);
        String home = System.getenv("CUDA_HOME");
        for (String dir : home == null ? List.of("/usr/local/cuda/lib64") : List.of(home + "/lib64",
                "/usr/local/cuda/lib64")) {
            sonames.forEach(s -> names.add(dir + "/" + s));
        }
        return names;
    }

    /** "cuBLAS libcublas.so.13, fp32" or "..., TF32 tensor cores". */
    String describe() {
        return "cuBLAS " + lib.name() + (tf32 ? ", TF32 tensor cores (-Djlens.cuda.tf32=true)" : ", fp32");
    }

    /** Enqueues the product {@code g} (mapped by {@link GemmArgs}) on the stream; {@code shapes} names it in errors. */
    synchronized void gemm(GemmArgs g, String shapes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_FLOAT, 1f);
            MemorySegment zero = arena.allocateFrom(JAVA_FLOAT, 0f);
            int status = g.batch() == 1
                    ? Driver.call(sgemm, handle, g.transA(), g.transB(), g.m(), g.n(), g.k(), one, g.a(), g.lda(),
                            g.b(), g.ldb(), zero, g.c(), g.ldc())
                    : Driver.call(sgemmStridedBatched, handle, g.transA(), g.transB(), g.m(), g.n(), g.k(), one,
                            g.a(), g.lda(), g.strideA(), g.b(), g.ldb(), g.strideB(), zero, g.c(), g.ldc(),
                            g.strideC(), g.batch());
            check((g.batch() == 1 ? "cublasSgemm " : "cublasSgemmStridedBatched ") + g + " for " + shapes, status);
        }
    }

    private void check(String what, int status) {
        if (status != 0) {
            MemorySegment text = (MemorySegment) invoke(getStatusString, status);
            throw new CudaException(what + " failed: cublasStatus " + status + " ("
                    + text.reinterpret(256).getString(0) + ")", status);
        }
    }

    private static Object invoke(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
