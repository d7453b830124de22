// The names of the BOS, EOS and PAD tokens as transformers reads them: the bos_token / eos_token / pad_token fields
// of the tokenizer_config.json saved beside tokenizer.json, each a string or an AddedToken object with "content".
package dev.jlens.model.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads the special-token names of a tokenizer_config.json. */
final class SpecialTokenNames {
    private SpecialTokenNames() {}

    /** The names set in the tokenizer_config.json beside {@code tokenizerJson}; empty when there is none. */
    static Map<String, String> besides(Path tokenizerJson) {
        Path config = tokenizerJson.resolveSibling("tokenizer_config.json");
        Map<String, String> names = new HashMap<>();
        if (!Files.isRegularFile(config)) {
            return names;
        }
        Json root = Json.parse(config);
        for (String key : new String[] {"bos_token", "eos_token", "pad_token"}) {
            Json v = root.get(key);
            if (!v.isNull()) {
                names.put(key, v.isObject() ? v.get("content").string() : v.string());
            }
        }
        return names;
    }
}
