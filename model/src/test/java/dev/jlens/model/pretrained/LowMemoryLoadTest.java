// A GPT-2-small-shaped checkpoint loads in a JVM whose heap is smaller than the file, processing streams part by part.
package dev.jlens.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.PythonFixtures;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link LoadProbe} in a child JVM with {@code -Xmx} = {@value #HEAP} (the F32 file is 498 MB), so the weights
 * must live off the heap, and checks its logits of the first token row against the float64 numpy reference of
 * {@link ReferenceLogitsTest} (1e-4 absolute; centred per position when processed, since center_unembed shifts each
 * position's logits by a constant). The probe also reports the off-heap bytes jlens allocated: the transient part of
 * the peak (peak minus what the model keeps) must stay within the parts the loader processes at once (two sublayers,
 * of which an MLP is the larger; AssemblyTransientTest checks one part's bound exactly), not grow with the number of
 * layers. The unembedding runs first, while the total is still small, so this bound does not
 * see its transient: TransposedUnembedTest checks that a tied W_U is made without a [d_model, d_vocab] copy. What the
 * model keeps off the heap stays below the weights' size (the file less its mask buffers), processed too: the centred
 * W_E reads the file's rows.
 */
class LowMemoryLoadTest {
    private static final String HEAP = "-Xmx192m";
    private static final Path FIXTURE = PythonFixtures.ROOT.resolve("model/target/fixtures/gpt2-random");
    private static final String ROW0 = "50256,464,3290,318,257,1049,286,262,3290,13,50256,198";
    private static final Gpt2Config CFG = Gpt2Config.preset("gpt2");
    private static final long MLP_BYTES = 4L * 2L * CFG.dModel() * CFG.dMlp(); // W_in and W_out, float32
    private static final long BLOCK_BYTES = 4L * 4L * CFG.dModel() * CFG.dModel() + MLP_BYTES;
    /**
     * Float32 bytes of the checkpoint's weights (124439808 parameters): the file less its causal-mask buffers, which
     * the model does not keep. Per layer 4 d^2 + 2 d d_mlp (the four matrices) + 9 d + d_mlp (biases, LayerNorms).
     */
    private static final long WEIGHT_BYTES = 4L * ((long) (CFG.dVocab() + CFG.nCtx() + 2) * CFG.dModel()
            + (long) CFG.nLayers() * (4L * CFG.dModel() * CFG.dModel() + 2L * CFG.dModel() * CFG.dMlp()
            + 9L * CFG.dModel() + CFG.dMlp()));

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixtures() throws IOException, InterruptedException {
        ReferenceLogitsTest.makeFixture();
    }

    @Test
    void unprocessedLoadFitsASmallHeapAndMatchesTheReference() throws Exception {
        long[] bytes = probe("none");
        Tensor logits = Npy.read(tmp.resolve("none.npy")).select(0, 0);
        Tensor reference = Npy.read(FIXTURE.resolve("reference.npy")).select(0, 0);
        double diff = logits.maxAbsDiff(reference);
        assertTrue(diff <= 1e-4, "max |logit diff| " + diff);
        assertTrue(bytes[1] - bytes[0] <= BLOCK_BYTES, "transient off-heap bytes " + (bytes[1] - bytes[0])
                + " exceed one block (" + BLOCK_BYTES + ")");
        assertTrue(bytes[0] <= WEIGHT_BYTES, "the model keeps " + bytes[0] + " bytes off the heap, more than the "
                + WEIGHT_BYTES + " bytes of weights: a weight is held twice (the tied W_E should read the packed W_U)");
    }

    @Test
    void processedLoadStreamsPartByPartAndMatchesTheReference() throws Exception {
        long[] bytes = probe("processed");
        Tensor logits = Npy.read(tmp.resolve("processed.npy")).select(0, 0);
        Tensor reference = Npy.read(FIXTURE.resolve("reference.npy")).select(0, 0);
        double diff = logits.sub(logits.reduce(ReduceOp.MEAN, -1, true))
                .maxAbsDiff(reference.sub(reference.reduce(ReduceOp.MEAN, -1, true)));
        assertTrue(diff <= 1e-4, "max |centred logit diff| " + diff);
        long transientBytes = bytes[1] - bytes[0];
        assertTrue(transientBytes <= 2 * MLP_BYTES, "transient off-heap bytes " + transientBytes
                + " exceed two MLP sublayers (" + 2 * MLP_BYTES + ")");
        assertTrue(bytes[0] >= CFG.nLayers() * BLOCK_BYTES && bytes[0] <= WEIGHT_BYTES, "the model keeps " + bytes[0]
                + " bytes off the heap, against " + WEIGHT_BYTES + " bytes of weights: the centred W_E should read the "
                + "file's rows, not be a copy beside the packed W_U");
    }

    /** {live, peak} off-heap bytes after loading, from a child JVM that also wrote MODE.npy. */
    private long[] probe(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), HEAP, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LoadProbe.class.getName(), FIXTURE.toString(), mode, ROW0, tmp.resolve(mode + ".npy").toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "child JVM (" + HEAP + ") failed:\n" + output);
        Matcher m = Pattern.compile("live=(\\d+) peak=(\\d+)").matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Files.isRegularFile(tmp.resolve(mode + ".npy")));
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
