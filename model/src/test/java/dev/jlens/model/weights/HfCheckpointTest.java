// HF model folders: config.json to Gpt2Config, single and sharded safetensors, and the errors for what is missing.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void configMapsToGpt2Config() throws IOException {
        Path folder = TinyHfFolder.single(dir.resolve("tiny-gpt2"));
        Gpt2Config c = HfConfig.read(folder.resolve("config.json"));
        assertEquals(new Gpt2Config("tiny-gpt2", 1, 8, 2, 4, 32, 11, 6, 1e-5f, false, c.normalizationType(),
                c.positionalEmbeddingType(), false, false, false, false), c);
        assertEquals("openai-community/gpt2", HfConfig.read(folder.resolve("config.json"), "openai-community/gpt2")
                .modelName());
    }

    @Test
    void configDefaultsAndLegacyKeys() throws IOException {
        Path cfg = Files.writeString(dir.resolve("config.json"), "{\"_name_or_path\": \"my-gpt\", \"n_ctx\": 64, "
                + "\"n_inner\": 100, \"layer_norm_epsilon\": 1e-6}");
        Gpt2Config c = HfConfig.read(cfg);
        assertEquals("my-gpt", c.modelName());
        assertEquals(List.of(12, 768, 12, 100, 50257, 64), List.of(c.nLayers(), c.dModel(), c.nHeads(), c.dMlp(),
                c.dVocab(), c.nCtx()));
        assertEquals(1e-6f, c.eps());
    }

    @Test
    void configErrorsNameTheKey() throws IOException {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"activation_function\": \"relu\"}");
        assertEquals(cfg + ": activation_function 'relu' is not supported; jlens computes gelu_new / "
                + "gelu_pytorch_tanh (the tanh GELU)", assertThrows(IllegalArgumentException.class,
                        () -> HfConfig.read(cfg)).getMessage());
        Files.writeString(cfg, "{\"model_type\": \"llama\"}");
        assertEquals(cfg + ": model_type is 'llama'; jlens loads gpt2 only",
                assertThrows(IllegalArgumentException.class, () -> HfConfig.read(cfg)).getMessage());
        Files.writeString(cfg, "{\"n_head\": -4}");
        assertEquals(cfg + ": n_head must be a positive integer, got -4",
                assertThrows(IllegalArgumentException.class, () -> HfConfig.read(cfg)).getMessage());
        Files.writeString(cfg, "{\"n_head\": 5}");
        assertEquals(dir.getFileName() + ": dModel 768 is not divisible by nHeads 5",
                assertThrows(IllegalArgumentException.class, () -> HfConfig.read(cfg)).getMessage());
    }

    @Test
    void singleFileKeepsStoredNames() throws IOException {
        Path folder = TinyHfFolder.single(dir.resolve("m"));
        try (HfCheckpoint ckpt = HfCheckpoint.open(folder)) {
            Map<String, Tensor> want = TinyHfFolder.tensors();
            assertEquals(List.copyOf(want.keySet()), List.copyOf(ckpt.tensors().keySet()));
            want.forEach((k, v) -> assertArrayEquals(v.toArray(), ckpt.tensors().get(k).toArray(), k));
            assertEquals(8, ckpt.config().dModel());
        }
    }

    @Test
    void shardedIndexOpensEachShardOnce() throws IOException {
        Path folder = TinyHfFolder.sharded(dir.resolve("s"));
        try (ShardedSafeTensors s = ShardedSafeTensors.open(folder.resolve(ShardedSafeTensors.INDEX))) {
            assertEquals(2, s.shards().size());
            assertEquals(Map.of("total_size", "1000"), s.metadata());
        }
        try (HfCheckpoint ckpt = HfCheckpoint.open(folder)) {
            Map<String, Tensor> want = TinyHfFolder.tensors();
            assertEquals(want.keySet(), ckpt.tensors().keySet());
            want.forEach((k, v) -> assertArrayEquals(v.toArray(), ckpt.tensors().get(k).toArray(), k));
        }
        assertTrue(HfCheckpoint.isComplete(folder));
    }

    @Test
    void shardedErrorsNameTheShardAndTensor() throws IOException {
        Path folder = TinyHfFolder.sharded(dir.resolve("s"));
        Path index = folder.resolve(ShardedSafeTensors.INDEX);
        Files.writeString(index, Files.readString(index).replace("\"ln_f.weight\": \"model-00002-of-00002",
                "\"ln_f.weight\": \"model-00001-of-00002"));
        assertEquals(index + ": tensor 'ln_f.weight' is mapped to model-00001-of-00002.safetensors, which does "
                + "not hold it", assertThrows(IllegalArgumentException.class, () -> HfCheckpoint.open(folder))
                        .getMessage());
        Files.delete(folder.resolve("model-00002-of-00002.safetensors"));
        assertEquals(index + ": shard model-00002-of-00002.safetensors (holding 'h.0.attn.c_attn.weight' and maybe "
                + "more) is missing from " + folder, assertThrows(IllegalArgumentException.class,
                        () -> ShardedSafeTensors.open(index)).getMessage());
        assertTrue(!HfCheckpoint.isComplete(folder));
    }

    @Test
    void otherFormatsAndAMalformedPytorchBinAreRefusedClearly() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pt"));
        Files.writeString(folder.resolve("config.json"), TinyHfFolder.CONFIG);
        Files.write(folder.resolve("pytorch_model.bin"), new byte[16]);
        assertEquals(folder.resolve("pytorch_model.bin") + ": neither a torch.save zip nor the legacy format: it "
                + "starts with neither a zip header nor the legacy magic number (16 bytes)",
                assertThrows(IllegalArgumentException.class, () -> HfCheckpoint.open(folder)).getMessage());
        Files.delete(folder.resolve("pytorch_model.bin"));
        Files.write(folder.resolve("tf_model.h5"), new byte[16]);
        assertEquals(folder + ": holds tf_model.h5 but no model.safetensors; only safetensors and pytorch_model.bin "
                + "are supported (download model.safetensors, or convert with transformers: model.save_pretrained(dir, "
                + "safe_serialization=True))", assertThrows(IllegalArgumentException.class,
                        () -> HfCheckpoint.open(folder)).getMessage());
        Files.delete(folder.resolve("tf_model.h5"));
        assertEquals(folder + ": no model.safetensors, model.safetensors.index.json or pytorch_model.bin (it holds "
                + "[config.json])",
                assertThrows(IllegalArgumentException.class, () -> HfCheckpoint.open(folder)).getMessage());
        Files.delete(folder.resolve("config.json"));
        assertEquals(folder + ": no config.json; not a Hugging Face model folder (it holds nothing)",
                assertThrows(IllegalArgumentException.class, () -> HfCheckpoint.open(folder)).getMessage());
    }
}
