// Reads the JSON of a TransformerLens HookedTransformerConfig (json.dump(cfg.to_dict(), f, default=str)) into a
// Gpt2Config. Mirrors transformer_lens/config/hooked_transformer_config.py: every field is either read, known not
// to change the forward (device, seed, init_*, tokenizer_name, ...), or required to keep the value that the
// GPT-2-family forward jlens computes assumes (no rotary, no gated MLP, causal attention scaled by sqrt(d_head) ...).
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.config.PositionalEmbeddingType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code HookedTransformerConfig} fields to {@link Gpt2Config}. Read: n_layers, d_model, n_heads, d_head, d_mlp,
 * d_vocab, n_ctx, eps, attn_only, normalization_type (LN, LNPre, None), positional_embedding_type (standard,
 * shortformer), use_attn_result, use_attn_in, use_split_qkv_input, use_hook_mlp_in, act_fn (gelu_new), model_name.
 * A field with a value jlens does not compute, or a field TL does not have, is an {@link IllegalArgumentException}
 * naming it and its value.
 */
public final class TlConfig {
    /** Fields that do not change the forward's numbers (initialisation, placement, bookkeeping, tokenizer). */
    private static final Set<String> INERT = Set.of("device", "n_devices", "seed", "init_mode", "initializer_range",
            "init_weights", "n_params", "tokenizer_name", "original_architecture", "from_checkpoint",
            "checkpoint_index", "checkpoint_label_type", "checkpoint_value", "default_prepend_bos",
            "tokenizer_prepends_bos", "trust_remote_code", "dtype", "use_hook_tokens", "tie_word_embeddings",
            "ungroup_grouped_query_attention", "layer_norm_folding", "window_size", "rotary_base", "rotary_base_local",
            "rotary_scaling_factor", "rotary_adjacent_pairs", "NTK_by_parts_low_freq_factor",
            "NTK_by_parts_high_freq_factor", "NTK_by_parts_factor", "NTK_original_ctx_len", "yarn_factor",
            "yarn_attention_factor", "yarn_beta_fast", "yarn_beta_slow", "yarn_original_max_position_embeddings",
            "experts_per_token", "norm_topk_prob", "relative_attention_max_distance",
            "relative_attention_num_buckets", "decoder_start_token_id");
    /** Fields that must keep TL's default (false or None) for the forward jlens computes. */
    private static final Set<String> OFF = Set.of("use_qk_norm", "use_local_attn", "attn_types",
            "scale_attn_by_inverse_layer_idx", "final_rms", "parallel_attn_mlp", "rotary_dim", "gated_mlp",
            "post_embedding_ln", "load_in_4bit", "num_experts", "use_normalization_before_and_after",
            "use_NTK_by_parts_rope", "use_yarn_rope", "uses_rms_norm");
    private static final Set<String> READ = Set.of("model_name", "n_layers", "d_model", "n_heads", "d_head", "d_mlp",
            "d_vocab", "n_ctx", "eps", "attn_only", "normalization_type", "positional_embedding_type",
            "use_attn_result", "use_attn_in", "use_split_qkv_input", "use_hook_mlp_in", "act_fn", "use_attn_scale",
            "attn_scale", "attention_dir", "d_vocab_out", "n_key_value_heads", "attn_scores_soft_cap",
            "output_logits_soft_cap");

    private TlConfig() {}

    /** True when {@code configJson} looks like a TL config (it has d_model), not a Hugging Face one. */
    public static boolean isTlConfig(Path configJson) {
        return ConfigJson.topLevel(configJson).containsKey("d_model");
    }

    /**
     * Reads {@code configJson}: the JSON of cfg.to_dict(), or the training config of Neel Nanda's models
     * (attn-only-2l etc.: it has {@code shortformer_pos} or {@code normalization}), converted as TL's
     * convert_neel_model_config does.
     */
    public static Gpt2Config read(Path configJson) {
        Map<String, Object> f = ConfigJson.topLevel(configJson);
        boolean neel = f.containsKey("shortformer_pos") || f.containsKey("normalization");
        return fromFields(neel ? fromNeelConfig(f) : f, configJson.toString());
    }

    /**
     * TL's convert_neel_model_config: the HookedTransformerConfig fields of a Neel Nanda training config, which
     * holds them beside training settings (lr, batch size, ...) that TL ignores, as this does.
     */
    static Map<String, Object> fromNeelConfig(Map<String, Object> neel) {
        Map<String, Object> f = new HashMap<>();
        for (String key : List.of("d_model", "n_layers", "d_mlp", "d_head", "n_heads", "n_ctx", "d_vocab",
                "tokenizer_name", "act_fn", "attn_only", "final_rms")) {
            if (neel.containsKey(key)) {
                f.put(key, neel.get(key));
            }
        }
        f.put("normalization_type", neel.containsKey("normalization") ? neel.get("normalization")
                : neel.get("normalization_type"));
        f.put("positional_embedding_type", Boolean.TRUE.equals(neel.get("shortformer_pos")) ? "shortformer"
                : "standard");
        return f;
    }

    /**
     * The config the fields {@code f} (TL names, JSON values: Long, Double, String, Boolean, null) describe;
     * {@code source} names them in errors.
     */
    public static Gpt2Config fromFields(Map<String, Object> f, String source) {
        Fields in = new Fields(f, source);
        in.checkKnown();
        int nHeads = in.integer("n_heads", null);
        int dHead = in.integer("d_head", null);
        boolean attnOnly = in.bool("attn_only", false);
        String act = in.string("act_fn", attnOnly ? null : "relu");
        if (!attnOnly && !"gelu_new".equals(act)) {
            throw in.refuse("act_fn", "jlens's MLP computes gelu_new");
        }
        if (!in.bool("use_attn_scale", true)) {
            throw in.refuse("use_attn_scale", "jlens divides attention scores by sqrt(d_head)");
        }
        double scale = in.number("attn_scale", -1.0);
        if (scale != -1.0 && Math.abs(scale - Math.sqrt(dHead)) > 1e-6 * Math.sqrt(dHead)) {
            throw in.refuse("attn_scale", "jlens divides attention scores by sqrt(d_head) = " + Math.sqrt(dHead));
        }
        in.require("attention_dir", "causal", "causal");
        int dVocab = in.integer("d_vocab", null);
        Object out = f.getOrDefault("d_vocab_out", -1L);
        if (!Objects.equals(out, -1L) && !Objects.equals(out, (long) dVocab)) {
            throw in.refuse("d_vocab_out", "jlens unembeds to d_vocab = " + dVocab);
        }
        Object kv = f.get("n_key_value_heads");
        if (kv != null && !Objects.equals(kv, (long) nHeads)) {
            throw in.refuse("n_key_value_heads", "jlens has one key/value head per query head");
        }
        for (String cap : new String[] {"attn_scores_soft_cap", "output_logits_soft_cap"}) {
            if (in.number(cap, -1.0) > 0) {
                throw in.refuse(cap, "jlens applies no soft cap");
            }
        }
        return new Gpt2Config(in.string("model_name", "custom"), in.integer("n_layers", null),
                in.integer("d_model", null), nHeads, dHead, attnOnly ? 0 : in.integer("d_mlp", null), dVocab,
                in.integer("n_ctx", null), (float) in.number("eps", 1e-5), attnOnly, normalization(in),
                positional(in), in.bool("use_attn_result", false), in.bool("use_attn_in", false),
                in.bool("use_split_qkv_input", false), in.bool("use_hook_mlp_in", false));
    }

    private static NormalizationType normalization(Fields in) {
        String type = in.string("normalization_type", "LN");
        return switch (type == null ? "None" : type) {
            case "LN" -> NormalizationType.LN;
            case "LNPre" -> NormalizationType.LN_PRE;
            case "None" -> NormalizationType.NONE;
            default -> throw in.refuse("normalization_type", "jlens supports LN, LNPre and None");
        };
    }

    private static PositionalEmbeddingType positional(Fields in) {
        return switch (String.valueOf(in.string("positional_embedding_type", "standard"))) {
            case "standard" -> PositionalEmbeddingType.STANDARD;
            case "shortformer" -> PositionalEmbeddingType.SHORTFORMER;
            default -> throw in.refuse("positional_embedding_type", "jlens supports standard and shortformer");
        };
    }

    /** Typed access to the fields, every error naming the field, its value and the source. */
    private record Fields(Map<String, Object> f, String source) {
        void checkKnown() {
            Set<String> unknown = new TreeSet<>();
            for (Map.Entry<String, Object> e : f.entrySet()) {
                String key = e.getKey();
                Object v = e.getValue();
                if (OFF.contains(key) && v != null && !Boolean.FALSE.equals(v)) {
                    throw refuse(key, "jlens computes the GPT-2-family forward, where it is false or None");
                }
                if (!INERT.contains(key) && !OFF.contains(key) && !READ.contains(key)) {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(source + ": unknown HookedTransformerConfig fields " + unknown
                        + "; jlens cannot tell whether they change the forward");
            }
        }

        IllegalArgumentException refuse(String key, String why) {
            Object v = f.get(key);
            return new IllegalArgumentException(source + ": " + key + " = " + (v instanceof String ? "'" + v + "'"
                    : v) + " is not supported; " + why);
        }

        int integer(String key, Integer absent) {
            Object v = f.get(key);
            if (v == null && absent != null) {
                return absent;
            }
            if (!(v instanceof Long l) || l <= 0 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": " + key + " must be a positive integer, got " + v);
            }
            return (int) (long) l;
        }

        double number(String key, double absent) {
            Object v = f.get(key);
            if (v == null) {
                return absent;
            }
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(source + ": " + key + " must be a number, got " + v);
            }
            return n.doubleValue();
        }

        boolean bool(String key, boolean absent) {
            Object v = f.getOrDefault(key, absent);
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException(source + ": " + key + " must be true or false, got " + v);
            }
            return b;
        }

        String string(String key, String absent) {
            Object v = f.containsKey(key) ? f.get(key) : absent;
            if (v != null && !(v instanceof String)) {
                throw new IllegalArgumentException(source + ": " + key + " must be a string, got " + v);
            }
            return (String) v;
        }

        void require(String key, String absent, String only) {
            if (!only.equals(string(key, absent))) {
                throw refuse(key, "jlens computes only " + only);
            }
        }
    }
}
