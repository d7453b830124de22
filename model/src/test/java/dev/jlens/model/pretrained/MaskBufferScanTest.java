// The load's NaN warning names damaged weights and stays quiet about the causal-mask buffers the model never reads.
package dev.jlens.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.PythonFixtures;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of the tiny HF-layout fixture with a NaN written into a mask buffer and into one weight. */
class MaskBufferScanTest {
    @TempDir
    Path tmp;

    @Test
    void aNaNInAMaskBufferIsNotReportedButOneInAWeightIs() throws Exception {
        Path fixture = PythonFixtures.checkpoint("tiny");
        Files.copy(fixture.resolve("config.json"), tmp.resolve("config.json"));
        Path file = Files.copy(fixture.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        writeNaN(file, "h.0.attn.bias");
        writeNaN(file, "h.1.mlp.c_fc.weight");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger("dev.jlens.weights");
        log.addHandler(capture);
        try {
            Pretrained.load(tmp.toString(), ProcessingOptions.none());
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'h.1.mlp.c_fc.weight' holds 1 NaN"), warnings.get(0));
    }

    /** Overwrites the first float32 of tensor {@code name} in the file with NaN. */
    private static void writeNaN(Path file, String name) throws IOException {
        long at;
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            at = f.dataStart() + f.entry(name).begin();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write(new byte[] {0, 0, (byte) 0xc0, 0x7f}); // 0x7fc00000 little-endian: the canonical NaN
        }
    }
}
