// Reads a Hugging Face GPT-2 config.json into a Gpt2Config. Mirrors transformers' GPT2Config (configuration_gpt2.py):
// n_embd, n_layer, n_head, n_inner (null -> 4 * n_embd), vocab_size, n_positions (older files: n_ctx),
// layer_norm_epsilon, activation_function; absent keys take GPT2Config's defaults, as from_pretrained does.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code config.json} to {@link Gpt2Config}. Only what jlens computes is accepted: model_type gpt2, a tanh GELU
 * ({@code gelu_new} or {@code gelu_pytorch_tanh}), attention scaled by 1/sqrt(d_head) and not by layer index;
 * anything else is an {@link IllegalArgumentException} naming the file, the key and the value.
 */
public final class HfConfig {
    private static final List<String> ACTIVATIONS = List.of("gelu_new", "gelu_pytorch_tanh");

    private HfConfig() {}

    /** Reads {@code configJson}; the model is named by {@code _name_or_path}, else by the folder holding it. */
    public static Gpt2Config read(Path configJson) {
        return read(configJson, null);
    }

    /** Reads {@code configJson}, naming the model {@code modelName} when it is not null. */
    public static Gpt2Config read(Path configJson, String modelName) {
        Map<String, Object> v = ConfigJson.topLevel(configJson);
        Object type = v.getOrDefault("model_type", "gpt2");
        if (!"gpt2".equals(type)) {
            throw new IllegalArgumentException(configJson + ": model_type is '" + type + "'; jlens loads gpt2 only");
        }
        String act = String.valueOf(v.getOrDefault("activation_function", "gelu_new"));
        if (!ACTIVATIONS.contains(act)) {
            throw new IllegalArgumentException(configJson + ": activation_function '" + act + "' is not supported; "
                    + "jlens computes " + String.join(" / ", ACTIVATIONS) + " (the tanh GELU)");
        }
        if (Boolean.TRUE.equals(v.get("scale_attn_by_inverse_layer_idx"))
                || Boolean.FALSE.equals(v.get("scale_attn_weights"))) {
            throw new IllegalArgumentException(configJson + ": scale_attn_by_inverse_layer_idx=true or "
                    + "scale_attn_weights=false is not supported; jlens scales attention by 1/sqrt(d_head)");
        }
        int dModel = integer(configJson, v, "n_embd", 768);
        Object inner = v.get("n_inner");
        int dMlp = inner == null ? 4 * dModel : integer(configJson, v, "n_inner", 0);
        int nCtx = v.containsKey("n_positions") ? integer(configJson, v, "n_positions", 1024)
                : integer(configJson, v, "n_ctx", 1024);
        Gpt2Config shape = Gpt2Config.gpt2Shape(name(configJson, v, modelName), integer(configJson, v, "n_layer", 12),
                dModel, integer(configJson, v, "n_head", 12), dMlp, integer(configJson, v, "vocab_size", 50257), nCtx);
        float eps = (float) number(configJson, v, "layer_norm_epsilon", 1e-5);
        return new Gpt2Config(shape.modelName(), shape.nLayers(), shape.dModel(), shape.nHeads(), shape.dHead(),
                shape.dMlp(), shape.dVocab(), shape.nCtx(), eps, false, shape.normalizationType(),
                shape.positionalEmbeddingType(), false, false, false, false);
    }

    private static String name(Path configJson, Map<String, Object> v, String modelName) {
        if (modelName != null) {
            return modelName;
        }
        if (v.get("_name_or_path") instanceof String s && !s.isBlank()) {
            return s;
        }
        Path folder = configJson.toAbsolutePath().getParent();
        return folder == null || folder.getFileName() == null ? "gpt2" : folder.getFileName().toString();
    }

    private static int integer(Path file, Map<String, Object> v, String key, int absent) {
        Object o = v.get(key);
        if (o == null && !v.containsKey(key)) {
            return absent;
        }
        if (!(o instanceof Long l) || l <= 0 || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": " + key + " must be a positive integer, got " + o);
        }
        return (int) (long) l;
    }

    private static double number(Path file, Map<String, Object> v, String key, double absent) {
        Object o = v.getOrDefault(key, absent);
        if (!(o instanceof Number n) || !(n.doubleValue() >= 0)) {
            throw new IllegalArgumentException(file + ": " + key + " must be a non-negative number, got " + o);
        }
        return n.doubleValue();
    }
}
