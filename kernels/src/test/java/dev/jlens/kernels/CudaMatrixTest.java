// Every op of the cuda backend against the scalar oracle, kernel by kernel; skipped (with the reason) without a GPU.
package dev.jlens.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jlens.kernels.cuda.Cuda;
import dev.jlens.kernels.cuda.CudaBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BackendMatrixTest's cases (odd sizes, strided views, broadcasting, masks) on the GPU with the same tolerances.
 * BackendMatrixTest itself leaves cuda out so that, without a GPU, each case here shows as skipped with the reason.
 */
class CudaMatrixTest {
    @BeforeEach
    void gpu() {
        assumeTrue(Cuda.available(), () -> "CUDA not available: " + Cuda.unavailableReason());
    }

    static Stream<Arguments> cases() {
        return BackendMatrixTest.cases().stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "cuda {0}")
    @MethodSource("cases")
    void matchesTheOracle(String name, BackendMatrixTest.Case c) {
        BackendMatrixTest.compare("cuda " + name, new CudaBackend(), c);
    }
}
