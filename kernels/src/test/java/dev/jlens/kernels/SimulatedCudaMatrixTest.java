// The cuda backend's Java side on a simulated device, against the scalar oracle: runs everywhere, GPU or not.
package dev.jlens.kernels;

import dev.jlens.kernels.cuda.SimulatedContext;
import dev.jlens.tensor.backend.Backend;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BackendMatrixTest's cases through CudaBackend, DeviceTensors, Gemm/GemmArgs, the launchers and their kernel
 * argument arrays, with {@link SimulatedContext} standing in for the GPU. A wrong stride, offset, movedim, argument
 * order or GEMM mapping fails here; the CUDA C itself is only tested by CudaMatrixTest on a GPU.
 */
class SimulatedCudaMatrixTest {
    private static final Backend SIMULATED = SimulatedContext.backend();

    static Stream<Arguments> cases() {
        return BackendMatrixTest.cases().stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "simulated cuda {0}")
    @MethodSource("cases")
    void matchesTheOracle(String name, BackendMatrixTest.Case c) {
        BackendMatrixTest.compare("simulated cuda " + name, SIMULATED, c);
    }
}
