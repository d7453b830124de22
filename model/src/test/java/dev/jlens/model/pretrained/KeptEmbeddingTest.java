// A processed model reads its centred W_E from its own mapping of the checkpoint: the centred bits, no copy, a clear
// error when the file is truncated under it.
package dev.jlens.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.weights.OwnedWeights;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.SafeTensorsFile;
import dev.jlens.model.weights.SafeTensorsWriter;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.RowShiftedStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptEmbeddingTest {
    private static final int VOCAB = 2048;
    private static final int D = 32; // VOCAB * D = 65536 elements: large enough to be kept as a mapping
    private static final int[][] TOKENS = {{5, 2047, 0, 5, 1000}};

    @TempDir
    Path dir;

    @Test
    void theProcessedWEIsTheFilesRowsCentredOnReadNotACopy() throws IOException {
        Map<String, Tensor> hf = write();
        HookedGpt2 model = Pretrained.load(dir.toString(), ProcessingOptions.defaults());
        Tensor wE = model.weights().get("embed.W_E");
        assertTrue(wE.storage() instanceof RowShiftedStorage shifted && shifted.base() instanceof SegmentStorage s
                && s.segment().isMapped(), "W_E is " + wE.storage().getClass().getSimpleName()
                + ", not rows of a mapping");
        float[] expected = centredRows(hf.get("wte.weight").toArray());
        float[] actual = wE.contiguous().toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "W_E element " + i); // bit for bit: the same arithmetic as TL's
        }
        float[] embed = model.runWithCache(TOKENS).cache().get("hook_embed").toArray(); // gathered from the mapping
        for (int p = 0; p < TOKENS[0].length; p++) {
            for (int j = 0; j < D; j++) {
                assertEquals(expected[TOKENS[0][p] * D + j], embed[p * D + j], "hook_embed[0, " + p + ", " + j + "]");
            }
        }
    }

    @Test
    void theMemoryBudgetCountsAnEmbeddingOnlyWhenTheLoadCopiesIt() throws IOException {
        write();
        try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve("model.safetensors"))) {
            Tensor wte = file.tensor("wte.weight");
            assertFalse(OwnedWeights.copiesOffHeap(wte), "a safetensors view is mapped again, not copied");
            SegmentStorage s = (SegmentStorage) wte.storage();
            Tensor unknownFile = Tensor.view(new SegmentStorage(s.segment(), s.dtype()), wte.shape(), wte.strides(), 0);
            assertTrue(OwnedWeights.copiesOffHeap(unknownFile), "a mapping whose file is unknown is copied");
        }
    }

    @Test
    void aCheckpointTruncatedAfterLoadingIsAClearErrorNotACrash() throws IOException {
        write();
        HookedGpt2 model = Pretrained.load(dir.toString(), ProcessingOptions.defaults());
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
            file.setLength(8);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.forward(TOKENS));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("changed after"),
                e.getMessage());
    }

    /** TL's center_writing_weights in float64: each row minus its mean (summed in index order), rounded to float. */
    private static float[] centredRows(float[] w) {
        float[] out = new float[w.length];
        for (int r = 0; r < VOCAB; r++) {
            double sum = 0;
            for (int j = 0; j < D; j++) {
                sum += w[r * D + j];
            }
            for (int j = 0; j < D; j++) {
                out[r * D + j] = (float) (w[r * D + j] - sum / D);
            }
        }
        return out;
    }

    /** A one-layer GPT-2 checkpoint in Hugging Face naming (tied lm_head), seeded; returns its tensors. */
    private Map<String, Tensor> write() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type": "gpt2", "n_ctx": 8, "n_positions": 8, "n_embd": 32, "n_head": 2, "n_layer": 1,
                 "vocab_size": 2048, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-05}
                """);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("wte.weight", normal(1, 0.5f, 0.25f, VOCAB, D)); // rows with a mean to remove
        t.put("wpe.weight", normal(2, 0.1f, 0f, 8, D));
        t.put("h.0.ln_1.weight", normal(3, 0.1f, 1f, D));
        t.put("h.0.ln_1.bias", normal(4, 0.1f, 0f, D));
        t.put("h.0.attn.c_attn.weight", normal(5, 0.2f, 0f, D, 3 * D));
        t.put("h.0.attn.c_attn.bias", normal(6, 0.1f, 0f, 3 * D));
        t.put("h.0.attn.c_proj.weight", normal(7, 0.2f, 0f, D, D));
        t.put("h.0.attn.c_proj.bias", normal(8, 0.1f, 0f, D));
        t.put("h.0.ln_2.weight", normal(9, 0.1f, 1f, D));
        t.put("h.0.ln_2.bias", normal(10, 0.1f, 0f, D));
        t.put("h.0.mlp.c_fc.weight", normal(11, 0.2f, 0f, D, 4 * D));
        t.put("h.0.mlp.c_fc.bias", normal(12, 0.1f, 0f, 4 * D));
        t.put("h.0.mlp.c_proj.weight", normal(13, 0.2f, 0f, 4 * D, D));
        t.put("h.0.mlp.c_proj.bias", normal(14, 0.1f, 0f, D));
        t.put("ln_f.weight", normal(15, 0.1f, 1f, D));
        t.put("ln_f.bias", normal(16, 0.1f, 0f, D));
        SafeTensorsWriter w = new SafeTensorsWriter().metadata("format", "pt");
        t.forEach(w::add);
        w.write(dir.resolve("model.safetensors"));
        return t;
    }

    /** Seeded normal values times scale plus offset. */
    private static Tensor normal(long seed, float scale, float offset, int... shape) {
        float[] v = Tensor.randn(seed, shape).toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * scale + offset;
        }
        return Tensor.of(v, shape);
    }
}
