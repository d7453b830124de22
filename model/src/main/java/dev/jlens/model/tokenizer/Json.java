// A JSON value read from tokenizer.json together with its JSON path, so that every refusal can say where in the file
// the unsupported or malformed part is ("pre_tokenizer.pretokenizers[1].type"). Parsed with Jackson's streaming API
// into plain maps, lists, strings, numbers and booleans; nesting deeper than MAX_DEPTH is refused, not recursed into.
package dev.jlens.model.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON value and where it sits: the file and the path from the root. */
final class Json {
    private static final int MAX_DEPTH = 100;
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Object value;
    private final String path;
    private final Path file;

    private Json(Object value, String path, Path file) {
        this.value = value;
        this.path = path;
        this.file = file;
    }

    /** Parses {@code file}; errors name the file, line and column. */
    static Json parse(Path file) {
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            Object root = read(p, p.nextToken(), 0, file);
            if (p.nextToken() != null) {
                throw error(p, file, "unexpected content after the top-level value");
            }
            return new Json(root, "", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Object read(JsonParser p, JsonToken t, int depth, Path file) throws IOException {
        if (t == null) {
            throw error(p, file, "unexpected end of file");
        }
        if (depth > MAX_DEPTH) {
            throw error(p, file, "JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String key = p.currentName();
                    if (map.put(key, read(p, p.nextToken(), depth + 1, file)) != null) {
                        throw error(p, file, "key " + ByteLevel.quote(key) + " appears twice in one object");
                    }
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(read(p, e, depth + 1, file));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw error(p, file, "unexpected " + t);
        };
    }

    private static IllegalArgumentException error(JsonParser p, Path file, String what) {
        var loc = p.currentLocation();
        return new IllegalArgumentException(file + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                + "): " + what);
    }

    /** The error "file: path what", for a refusal or a malformed value at this node. */
    IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(file + ": " + (path.isEmpty() ? "the top level" : path) + " " + what);
    }

    /** The path of this node from the root, e.g. {@code normalizer.normalizers[0]}. */
    String path() {
        return path;
    }

    /** Whether the value is JSON null (or the key was absent). */
    boolean isNull() {
        return value == null;
    }

    /** The member {@code key} of this object; a null node when absent. */
    Json get(String key) {
        return new Json(object().get(key), path.isEmpty() ? key : path + "." + key, file);
    }

    /** Whether this object has the member {@code key}, even if it is null. */
    boolean has(String key) {
        return object().containsKey(key);
    }

    /** The raw members of this object, for large maps (vocab) read without wrapping each value. */
    Map<String, Object> object() {
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) map;
            return m;
        }
        throw fail("should be a JSON object but is " + describe());
    }

    /** The raw elements of this array, for large arrays (merges) read without wrapping each value. */
    List<?> items() {
        if (value instanceof List<?> items) {
            return items;
        }
        throw fail("should be a JSON array but is " + describe());
    }

    /** The elements of this array, each with its index in the path. */
    List<Json> list() {
        if (!(value instanceof List<?> items)) {
            throw fail("should be a JSON array but is " + describe());
        }
        List<Json> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new Json(items.get(i), path + "[" + i + "]", file));
        }
        return out;
    }

    /** Whether the value is a JSON object. */
    boolean isObject() {
        return value instanceof Map;
    }

    /** Whether the value is a JSON array. */
    boolean isArray() {
        return value instanceof List;
    }

    /** This value as a number. */
    double number() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw fail("should be a number but is " + describe());
    }

    /** This value as a string. */
    String string() {
        if (value instanceof String s) {
            return s;
        }
        throw fail("should be a string but is " + describe());
    }

    /** This value as an int. */
    int integer() {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw fail("should be a 32-bit integer but is " + describe());
    }

    /** The boolean member {@code key}, or {@code fallback} when it is absent or null. */
    boolean bool(String key, boolean fallback) {
        Json v = get(key);
        if (v.value == null) {
            return fallback;
        }
        if (v.value instanceof Boolean b) {
            return b;
        }
        throw v.fail("should be true or false but is " + v.describe());
    }

    /** The {@code type} member of a pipeline component. */
    String type() {
        return get("type").string();
    }

    /** Refuses this component: its type is one jlens does not implement. */
    IllegalArgumentException unsupported(String what) {
        return get("type").fail("is " + ByteLevel.quote(type()) + ", which jlens does not implement (" + what + ")");
    }

    private String describe() {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return ByteLevel.quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value instanceof List ? "an array" : String.valueOf(value);
    }
}
