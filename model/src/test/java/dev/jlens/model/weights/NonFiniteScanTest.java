// A NaN or Inf in a checkpoint is found, counted and named; finite tensors pass in any dtype.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonFiniteScanTest {
    @TempDir
    Path tmp;

    @Test
    void damagedTensorsOfAMappedFileAreNamedWithTheirCounts() {
        Tensor ok = Tensor.randn(1, 300, 400);
        Tensor bad = Tensor.randn(2, 70_000); // more than one scan chunk
        bad.set(Float.NaN, 69_999);
        bad.set(Float.POSITIVE_INFINITY, 5);
        bad.set(Float.NaN, 12);
        Tensor half = Tensor.randn(3, 50);
        half.set(Float.NEGATIVE_INFINITY, 7);
        Path file = tmp.resolve("w.safetensors");
        new SafeTensorsWriter().add("ok", ok).add("bad", bad).add("half", half, DType.F16).write(file);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            List<NonFiniteScan.Finding> found = NonFiniteScan.warn(f.tensors(), file.toString());
            assertEquals(List.of(new NonFiniteScan.Finding("bad", 2, 1, 5), new NonFiniteScan.Finding("half", 0, 1, 7)),
                    found);
            assertTrue(found.get(0).message("ckpt").startsWith("ckpt: weight 'bad' holds 2 NaN and 1 infinite"));
        }
    }
}
