// TransformerLens config JSON: the seed fields read, every unsupported value refused by its field's name.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.config.PositionalEmbeddingType;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlConfigTest {
    /** Seed 000's HookedTransformerConfig, as cfg.to_dict() writes the fields it sets. */
    private static Map<String, Object> seed000() {
        Map<String, Object> f = new HashMap<>();
        f.putAll(Map.of("d_model", 768L, "d_head", 64L, "n_heads", 12L, "n_layers", 2L, "n_ctx", 2048L, "d_vocab",
                50278L, "attention_dir", "causal", "attn_only", true, "tokenizer_name", "EleutherAI/gpt-neox-20b",
                "use_attn_result", true));
        f.put("normalization_type", null);
        f.put("positional_embedding_type", "shortformer");
        f.put("d_mlp", null);
        f.put("act_fn", null);
        f.put("attn_scale", 8.0);
        f.put("d_vocab_out", 50278L);
        f.put("rotary_dim", null);
        f.put("gated_mlp", false);
        return f;
    }

    private static String error(Map<String, Object> f) {
        return assertThrows(IllegalArgumentException.class, () -> TlConfig.fromFields(f, "cfg.json")).getMessage();
    }

    @Test
    void readsSeed000sConfig() {
        Gpt2Config c = TlConfig.fromFields(seed000(), "cfg.json");
        assertEquals(List.of(2, 768, 12, 64, 0, 50278, 2048), List.of(c.nLayers(), c.dModel(), c.nHeads(), c.dHead(),
                c.dMlp(), c.dVocab(), c.nCtx()));
        assertTrue(c.attnOnly() && c.useAttnResult());
        assertEquals(NormalizationType.NONE, c.normalizationType());
        assertEquals(PositionalEmbeddingType.SHORTFORMER, c.positionalEmbeddingType());
        assertEquals("custom", c.modelName());
    }

    @Test
    void refusesWhatJlensDoesNotComputeByFieldName() {
        Object[][] cases = {
            {"positional_embedding_type", "rotary", "cfg.json: positional_embedding_type = 'rotary' is not supported;"
                    + " jlens supports standard and shortformer"},
            {"normalization_type", "RMS", "cfg.json: normalization_type = 'RMS' is not supported; jlens supports LN,"
                    + " LNPre and None"},
            {"gated_mlp", true, "cfg.json: gated_mlp = true is not supported; jlens computes the GPT-2-family "
                    + "forward, where it is false or None"},
            {"rotary_dim", 32L, "cfg.json: rotary_dim = 32 is not supported; jlens computes the GPT-2-family "
                    + "forward, where it is false or None"},
            {"attention_dir", "bidirectional", "cfg.json: attention_dir = 'bidirectional' is not supported; jlens "
                    + "computes only causal"},
            {"attn_scale", 4.0, "cfg.json: attn_scale = 4.0 is not supported; jlens divides attention scores by "
                    + "sqrt(d_head) = 8.0"},
            {"d_vocab_out", 10L, "cfg.json: d_vocab_out = 10 is not supported; jlens unembeds to d_vocab = 50278"},
            {"n_key_value_heads", 4L, "cfg.json: n_key_value_heads = 4 is not supported; jlens has one key/value "
                    + "head per query head"},
            {"output_logits_soft_cap", 30.0, "cfg.json: output_logits_soft_cap = 30.0 is not supported; jlens "
                    + "applies no soft cap"},
            {"brand_new_field", 3L, "cfg.json: unknown HookedTransformerConfig fields [brand_new_field]; jlens "
                    + "cannot tell whether they change the forward"},
            {"n_heads", -1L, "cfg.json: n_heads must be a positive integer, got -1"},
        };
        for (Object[] c : cases) {
            Map<String, Object> f = seed000();
            f.put((String) c[0], c[1]);
            assertEquals(c[2], error(f));
        }
        Map<String, Object> mlp = seed000();
        mlp.put("attn_only", false);
        mlp.put("d_mlp", 3072L);
        mlp.put("act_fn", "relu");
        assertEquals("cfg.json: act_fn = 'relu' is not supported; jlens's MLP computes gelu_new", error(mlp));
        mlp.put("act_fn", "gelu_new");
        assertEquals(3072, TlConfig.fromFields(mlp, "cfg.json").dMlp());
    }

    @Test
    void neelNandasTrainingConfigIsConvertedAsTlDoes(@TempDir Path dir) throws IOException {
        // the fields convert_neel_model_config reads, beside training settings it ignores
        Path json = Files.writeString(dir.resolve("config.json"), """
                {"d_model": 512, "n_layers": 2, "d_mlp": 2048, "d_head": 64, "n_heads": 8, "n_ctx": 2048,
                 "d_vocab": 48262, "act_fn": "solu_ln", "attn_only": true, "normalization": "LN",
                 "shortformer_pos": true, "tokenizer_name": "NeelNanda/gpt-neox-tokenizer-digits",
                 "lr": 0.001, "batch_size": 32, "seed": 5, "n_devices": 8, "use_bfloat16_matmul": true}
                """);
        Gpt2Config c = TlConfig.read(json);
        assertEquals(List.of(2, 512, 8, 64, 48262, 2048), List.of(c.nLayers(), c.dModel(), c.nHeads(), c.dHead(),
                c.dVocab(), c.nCtx()));
        assertTrue(c.attnOnly());
        assertEquals(NormalizationType.LN, c.normalizationType());
        assertEquals(PositionalEmbeddingType.SHORTFORMER, c.positionalEmbeddingType());
        Files.writeString(json, Files.readString(json).replace("\"attn_only\": true", "\"attn_only\": false"));
        assertEquals(json + ": act_fn = 'solu_ln' is not supported; jlens's MLP computes gelu_new",
                assertThrows(IllegalArgumentException.class, () -> TlConfig.read(json)).getMessage());
    }

    @Test
    void tlKeysNameMissingAndUnusedKeys() {
        Gpt2Config cfg = TlConfig.fromFields(seed000(), "cfg.json");
        Map<String, Tensor> sd = new HashMap<>();
        for (String k : TlKeys.needed(cfg)) {
            sd.put(k, Tensor.zeros(1));
        }
        sd.put("blocks.0.attn.mask", Tensor.zeros(1));
        sd.put("blocks.1.attn.IGNORE", Tensor.zeros(1));
        assertEquals(2 + 2 * 8 + 2, TlKeys.stateDict(sd, cfg, "m.pth").keys().size()); // the buffers dropped
        sd.remove("blocks.1.attn.W_V");
        sd.put("blocks.0.mlp.W_in", Tensor.zeros(1));
        assertEquals("m.pth: not a TransformerLens state dict of this config (custom, attn_only=true, normalization "
                + "NONE); missing keys [blocks.1.attn.W_V] keys the config does not use [blocks.0.mlp.W_in]",
                assertThrows(IllegalArgumentException.class, () -> TlKeys.stateDict(sd, cfg, "m.pth")).getMessage());
    }
}
