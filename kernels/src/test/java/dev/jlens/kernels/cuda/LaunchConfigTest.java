// Grid and block math of the launchers, and the text of launch and out-of-memory errors, checked without a GPU.
package dev.jlens.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {
    @Test
    void elementwiseLaunchesCoverEveryElementAndCapTheGrid() {
        assertEquals(new LaunchConfig(1, 256, 0), LaunchConfig.elementwise(1));
        assertEquals(new LaunchConfig(1, 256, 0), LaunchConfig.elementwise(256));
        assertEquals(new LaunchConfig(2, 256, 0), LaunchConfig.elementwise(257));
        assertEquals(new LaunchConfig(3072, 256, 0), LaunchConfig.elementwise(1L * 1024 * 768)); // [1024, 768]
        assertEquals(65_536, LaunchConfig.elementwise(50_257L * 768 * 8).grid()); // grid-stride beyond 2^24 elements
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.elementwise(0));
    }

    @Test
    void rowKernelsGetOneBlockPerRowAndAWholeNumberOfWarps() {
        assertEquals(new LaunchConfig(24, 32, 0), LaunchConfig.rows(24, 5, 0));
        assertEquals(new LaunchConfig(24, 64, 0), LaunchConfig.rows(24, 33, 0));
        assertEquals(new LaunchConfig(24, 256, 0), LaunchConfig.rows(24, 768, 0));
        assertEquals(new LaunchConfig(7, 256, 4096), LaunchConfig.rows(7, 50_257, 4096));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.rows(0, 768, 0));
    }

    @Test
    void launchErrorsNameTheKernelGridBlockAndShapes() {
        String msg = CudaException.launchFailed("layernorm_rows", LaunchConfig.rows(12, 768, 0),
                "x [12, 768] w, b [768]", "CUDA_ERROR_INVALID_VALUE (1): invalid argument");
        assertEquals("CUDA kernel layernorm_rows failed: CUDA_ERROR_INVALID_VALUE (1): invalid argument; "
                + "grid (12,1,1), block (256,1,1), shared 0 bytes; x [12, 768] w, b [768]", msg);
    }

    @Test
    void outOfMemoryNamesBytesRequestedFreeAndTotal() {
        assertEquals("CUDA out of memory: requested 3221225472 bytes (3072.0 MiB), but only 1048576 bytes (1.0 MiB)"
                        + " of 85899345920 bytes (81920.0 MiB) are free on the device",
                CudaException.outOfMemory(3L << 30, 1L << 20, 80L << 30));
    }
}
