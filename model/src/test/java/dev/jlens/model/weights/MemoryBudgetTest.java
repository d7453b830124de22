// MemoryBudget: the model's bytes from its config equal its state dict's; refusals carry the numbers.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBudgetTest {
    @TempDir
    Path tmp;

    @Test
    void modelBytesAreTheStateDictsFloat32Bytes() {
        Gpt2Config cfg = Gpt2Config.gpt2Shape("t", 3, 24, 4, 40, 96, 16); // layers, d_model, heads, d_mlp, vocab, ctx
        StateDict sd = RandomWeights.stateDict(cfg, 1);
        long bytes = sd.keys().stream().mapToLong(k -> 4L * sd.get(k).numel()).sum();
        assertEquals(bytes, MemoryBudget.modelBytes(cfg));
    }

    @Test
    void aModelThatDoesNotFitIsRefusedWithTheBytesNeededAndAvailable() {
        Gpt2Config xl = Gpt2Config.preset("gpt2-xl");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MemoryBudget.check(xl, true, true, "ckpt", OptionalLong.of(2_000_000_000L)));
        assertTrue(e.getMessage().matches("ckpt \\(gpt2-xl\\) needs about [0-9.]+ GB .* but 2.00 GB is available.*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("without processing it needs"), e.getMessage());
        assertDoesNotThrow(() -> MemoryBudget.check(xl, true, true, "ckpt", OptionalLong.of(20_000_000_000L)));
        assertDoesNotThrow(() -> MemoryBudget.check(xl, true, true, "ckpt", OptionalLong.empty()));
    }

    @Test
    void anEmbeddingReadFromTheFileIsNotCounted() {
        Gpt2Config xl = Gpt2Config.preset("gpt2-xl");
        long wE = 4L * 50257 * 1600;
        assertEquals(MemoryBudget.modelBytes(xl) - wE, MemoryBudget.modelBytes(xl, false));
        long need = MemoryBudget.modelBytes(xl) + MemoryBudget.transientBytes(xl, true);
        OptionalLong between = OptionalLong.of(need - wE / 2); // enough without the copy, too little with it
        assertThrows(IllegalStateException.class, () -> MemoryBudget.check(xl, true, true, "ckpt", between));
        assertDoesNotThrow(() -> MemoryBudget.check(xl, true, false, "ckpt", between));
    }

    @Test
    void availableMemoryIsReadFromMeminfoAndTheCgroupLimit() throws IOException {
        Path meminfo = Files.writeString(tmp.resolve("meminfo"), "MemTotal: 100 kB\nMemAvailable:    2048 kB\n");
        assertEquals(OptionalLong.of(2048 * 1024), MemoryBudget.meminfoAvailable(meminfo));
        Files.writeString(tmp.resolve("memory.max"), "1000000\n");
        Files.writeString(tmp.resolve("memory.current"), "400000\n");
        assertEquals(OptionalLong.of(600000), MemoryBudget.cgroupHeadroom(tmp));
        Files.writeString(tmp.resolve("memory.max"), "max\n");
        assertEquals(OptionalLong.empty(), MemoryBudget.cgroupHeadroom(tmp));
    }
}
