// jlens on checkpoints that PyTorch itself wrote (scripts/fixtures/make_torch_fixtures.py), against the logits of
// that script's torch forward, which follows TransformerLens' code: TL naming, HF naming, float16, shortformer.
package dev.jlens.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.HookedGpt2;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.config.PositionalEmbeddingType;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchFixturesTest {
    /** Absolute tolerance on logits of at most 20: float32 rounding through two small layers is about 1e-6. */
    private static final double ATOL = 1e-5;
    static final Path FIXTURES = Path.of("src/test/resources/dev/jlens/model/weights/torch");

    static int[][] tokens(Path folder) throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("tokens.txt"));
        return lines.stream().map(l -> Arrays.stream(l.split(",")).mapToInt(Integer::parseInt).toArray())
                .toArray(int[][]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"attn-only-shortformer", "attn-only-half", "attn-only-bf16", "gpt2-tl",
        "gpt2-tl-legacy", "gpt2-hf"})
    void logitsMatchTorch(String name) throws IOException {
        Path folder = FIXTURES.resolve(name);
        HookedGpt2 model = Pretrained.load(folder.toString(), ProcessingOptions.none(), Map.of(),
                Backends.current());
        Tensor expected = Npy.read(folder.resolve("logits.npy"));
        Tensor actual = model.forward(tokens(folder));
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(e[i] - a[i]));
        }
        System.out.printf("%s: max |jlens - torch| = %.3g over %d logits%n", name, max, e.length);
        assertTrue(max <= ATOL, name + ": max |diff| " + max + " > " + ATOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"attn-only-shortformer", "attn-only-half"})
    void theSeed000ShapeIsReadFromItsTlConfig(String name) {
        Gpt2Config cfg = Pretrained.load(FIXTURES.resolve(name).toString(), ProcessingOptions.none(),
                Map.of(), Backends.current()).cfg();
        assertTrue(cfg.attnOnly());
        assertEquals(NormalizationType.NONE, cfg.normalizationType());
        assertEquals(PositionalEmbeddingType.SHORTFORMER, cfg.positionalEmbeddingType());
        assertTrue(cfg.useAttnResult());
        assertEquals(List.of(2, 32, 4, 8, 61, 16), List.of(cfg.nLayers(), cfg.dModel(), cfg.nHeads(), cfg.dHead(),
                cfg.dVocab(), cfg.nCtx()));
    }

    @Test
    void aTlFolderWithoutExactlyOneCheckpointIsNamed(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURES.resolve("gpt2-tl/config.json"), dir.resolve("config.json"));
        assertEquals(dir + ": expected one .pth or .pt checkpoint beside config.json, found []",
                assertThrows(IllegalArgumentException.class, () -> Pretrained.load(dir.toString(),
                        ProcessingOptions.none(), Map.of(), Backends.current())).getMessage());
    }

    @Test
    void aSmallVocabularyWithoutTokenizerFilesHasNoTokenizer() {
        HookedGpt2 model = Pretrained.load(FIXTURES.resolve("attn-only-shortformer").toString(),
                ProcessingOptions.none(), Map.of(), Backends.current());
        assertEquals("custom has no tokenizer; pass token ids instead of text",
                assertThrows(IllegalStateException.class, model::tokenizer).getMessage());
    }
}
