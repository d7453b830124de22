// The top level of a config JSON file (Hugging Face config.json, TransformerLens cfg.to_dict()) as key -> scalar.
package dev.jlens.model.weights;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads a JSON object's top-level fields; nested arrays and objects are kept only as {@link Nested} markers. */
final class ConfigJson {
    private static final JsonFactory JSON = new JsonFactory();

    /** Where a nested value stood: its contents are not read. */
    enum Nested { ARRAY, OBJECT }

    private ConfigJson() {}

    /** Top-level values: String, Long (or String for big integers), Double, Boolean, null, or {@link Nested}. */
    static Map<String, Object> topLevel(Path file) {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(file + ": the config must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_STRING -> out.put(key, p.getText());
                    case VALUE_NUMBER_INT -> out.put(key, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getText() : p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> out.put(key, p.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> out.put(key, t == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> out.put(key, null);
                    default -> {
                        out.put(key, t == JsonToken.START_ARRAY ? Nested.ARRAY : Nested.OBJECT);
                        p.skipChildren();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
