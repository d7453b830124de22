package dev.jlens.benchmarks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errors of {@link OpenBlas#load}: each names what is missing. */
class OpenBlasTest {
    @Test
    void noPropertyNamesTheProperty() {
        var e = assertThrows(IllegalStateException.class, () -> OpenBlas.load(null));
        assertTrue(e.getMessage().contains("-Djlens.openblas="), e.getMessage());
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        String path = dir.resolve("libopenblas.so").toString();
        var e = assertThrows(IllegalStateException.class, () -> OpenBlas.load(path));
        assertTrue(e.getMessage().contains(path + " is not a file"), e.getMessage());
    }

    @Test
    void libraryWithoutSgemmNamesTheSymbolsTried() {
        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        Path library = Files.isRegularFile(libm) ? libm : Path.of("/usr/lib64/libm.so.6");
        var e = assertThrows(IllegalStateException.class, () -> OpenBlas.load(library.toString()));
        assertTrue(e.getMessage().contains(library + " exports none of cblas_sgemm/sgemv,"), e.getMessage());
    }
}
