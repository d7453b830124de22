// A BLAS peer inside the JVM: OpenBLAS's cblas_sgemm/sgemv called through the FFM API, C = A . B row-major in fp32.
package dev.jlens.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code cblas_sgemm} and {@code cblas_sgemv} of an OpenBLAS shared library, so that the peer of
 * {@link SgemmBenchmark} runs under the same harness, in the same process, as the product it is compared with.
 * Like numpy's matmul, a product of one row calls sgemv (OpenBLAS's sgemm is ~4x slower at M = 1). The library is
 * the one numpy bundles (scripts/openblas-path.py finds it), whose symbols carry a prefix and, in the
 * 64-bit-integer build, a suffix: this tries {@code cblas_}, {@code scipy_cblas_} (32-bit integers) and
 * {@code scipy_cblas_...64_} (64-bit integers, which the bound handles widen from int), in that order. OpenBLAS
 * runs on its own threads ({@code OPENBLAS_NUM_THREADS}, default all cores), as it does under numpy.
 */
final class OpenBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final List<SymbolForm> FORMS = List.of(new SymbolForm("cblas_", "", false),
            new SymbolForm("scipy_cblas_", "", false), new SymbolForm("scipy_cblas_", "64_", true));
    private static final ValueLayout I32 = ValueLayout.JAVA_INT;
    private static final ValueLayout F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    /** How a build names its functions: {@code prefix + "sgemm" + suffix}, integers 64-bit when ilp64. */
    private record SymbolForm(String prefix, String suffix, boolean ilp64) {
        String name(String function) {
            return prefix + function + suffix;
        }
    }

    /** sgemm and sgemv with int integer arguments, whatever the build's integer width. */
    private final MethodHandle sgemm;
    private final MethodHandle sgemv;
    /** The library and sgemm symbol bound, e.g. {@code libscipy_openblas64_.so:scipy_cblas_sgemm64_}. */
    final String name;

    private OpenBlas(MethodHandle sgemm, MethodHandle sgemv, String name) {
        this.sgemm = sgemm;
        this.sgemv = sgemv;
        this.name = name;
    }

    /** Loads the library at {@code path} (the {@code jlens.openblas} property) and binds its sgemm and sgemv. */
    static OpenBlas load(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("no OpenBLAS library: pass -Djlens.openblas=/path/to/libopenblas.so"
                    + " (scripts/openblas-path.py prints the one numpy bundles)");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("-Djlens.openblas=" + path + " is not a file");
        }
        SymbolLookup library = SymbolLookup.libraryLookup(file, Arena.global());
        for (SymbolForm form : FORMS) {
            Optional<MemorySegment> gemm = library.find(form.name("sgemm"));
            Optional<MemorySegment> gemv = library.find(form.name("sgemv"));
            if (gemm.isPresent() && gemv.isPresent()) {
                return new OpenBlas(bind(gemm.get(), gemmDescriptor(form.ilp64()), gemmDescriptor(false)),
                        bind(gemv.get(), gemvDescriptor(form.ilp64()), gemvDescriptor(false)),
                        file.getFileName() + ":" + form.name("sgemm"));
            }
        }
        throw new IllegalStateException(path + " exports none of cblas_sgemm/sgemv, scipy_cblas_sgemm/sgemv,"
                + " scipy_cblas_sgemm64_/sgemv64_");
    }

    // the downcall of `function`, called with the types of `callerType` (int widens to int64 where the build wants)
    private static MethodHandle bind(MemorySegment function, FunctionDescriptor nativeType,
                                     FunctionDescriptor callerType) {
        return Linker.nativeLinker().downcallHandle(function, nativeType).asType(callerType.toMethodType());
    }

    // the layout of a size, leading dimension or increment: int64 in 64-bit-integer builds, else int
    private static ValueLayout index(boolean ilp64) {
        return ilp64 ? ValueLayout.JAVA_LONG : I32;
    }

    // void sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
    private static FunctionDescriptor gemmDescriptor(boolean ilp64) {
        ValueLayout ix = index(ilp64);
        return FunctionDescriptor.ofVoid(I32, I32, I32, ix, ix, ix, F32, PTR, ix, PTR, ix, F32, PTR, ix);
    }

    // void sgemv(order, trans, M, N, alpha, A, lda, X, incX, beta, Y, incY)
    private static FunctionDescriptor gemvDescriptor(boolean ilp64) {
        ValueLayout ix = index(ilp64);
        return FunctionDescriptor.ofVoid(I32, I32, ix, ix, F32, PTR, ix, PTR, ix, F32, PTR, ix);
    }

    /** C[M,N] = A[M,K] . B[K,N], all row-major and dense, in native memory; M = 1 as c = B^T a (sgemv). */
    void multiply(MemorySegment c, MemorySegment a, MemorySegment b, int m, int n, int k) {
        try {
            if (m == 1) {
                sgemv.invokeExact(ROW_MAJOR, TRANS, k, n, 1f, b, n, a, 1, 0f, c, 1);
            } else {
                sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed", t);
        }
    }
}
