// On a GPU: tensors stay resident, and out-of-memory and launch failures name what failed. Skipped without one.
package dev.jlens.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.storage.DeviceStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CudaDeviceTest {
    private final CudaBackend cuda = new CudaBackend();

    @BeforeEach
    void gpu() {
        assumeTrue(Cuda.available(), () -> "CUDA not available: " + Cuda.unavailableReason());
    }

    @Test
    void weightsAreUploadedOnceAndResultsStayOnTheDevice() {
        Tensor w = Tensor.randn(1, 64, 32);
        Tensor prepared = cuda.prepareWeight(w);
        assertInstanceOf(DeviceStorage.class, prepared.storage());
        try (Backends.Scope s = Backends.use(cuda)) {
            Tensor y = Tensor.randn(2, 5, 64).matmul(prepared).geluNew();
            assertInstanceOf(DeviceStorage.class, y.storage());
            assertEquals("cuda", y.device().kind());
            Tensor want = Tensor.randn(2, 5, 64).toHost(); // same seed, host copy
            try (Backends.Scope cpu = Backends.use(Backends.byName("cpu"))) {
                assertTrue(y.allclose(want.matmul(w).geluNew(), 1e-4, 1e-4), "device result differs from cpu");
            }
        }
    }

    @Test
    void tf32IsOffUnlessAskedFor() {
        assertTrue(cuda.describe().contains(Boolean.getBoolean("jlens.cuda.tf32") ? "TF32" : "fp32"),
                cuda.describe());
    }

    @Test
    void outOfMemoryNamesTheBytesRequestedAndFree() {
        CudaException e = assertThrows(CudaException.class, () -> Cuda.context().alloc(1L << 50)); // 1 PiB
        assertTrue(e.getMessage().startsWith("CUDA out of memory: requested 1125899906842624 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("are free on the device"), e.getMessage());
    }

    @Test
    void aLaunchFailureNamesTheKernelGridBlockAndShapes() {
        // 20000 keys need 80000 bytes of shared scores, beyond the 48 KiB a block gets without opting in.
        Tensor q = Tensor.randn(2, 1, 1, 1, 4);
        Tensor kv = Tensor.randn(3, 1, 20_000, 1, 4);
        CudaException e = assertThrows(CudaException.class, () -> cuda.causalAttention(q, kv, kv, null, 0.5f));
        assertTrue(e.getMessage().startsWith("CUDA kernel causal_attention failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("grid (1,1,1), block (128,1,1), shared 80000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("k/v [1, 20000, 1, 4]"), e.getMessage());
    }
}
