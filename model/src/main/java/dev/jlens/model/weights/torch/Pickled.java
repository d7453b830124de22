// The values a whitelisted state-dict pickle can build: containers that know their nesting depth, globals, None.
package dev.jlens.model.weights.torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Python values as {@link Unpickler} builds them. Strings, ints and floats are {@code String}, {@code Long} and
 * {@code Double}; bools are {@code Boolean}. Containers carry their nesting depth so that a deeply nested pickle is
 * refused when built, and nothing later has to recurse into it.
 */
final class Pickled {
    private Pickled() {}

    /** Python's None. */
    enum None { NONE }

    /** A module attribute named by GLOBAL (already checked against the whitelist). */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A tuple, immutable. */
    record Tuple(List<Object> items, int depth) {}

    /** A list, filled by APPEND(S). */
    static final class PyList {
        final List<Object> items = new ArrayList<>();
        int depth = 1;
    }

    /** A dict or OrderedDict, filled by SETITEM(S); keys are str or int only. */
    static final class PyDict {
        final LinkedHashMap<Object, Object> items = new LinkedHashMap<>();
        int depth = 1;
    }

    /** The nesting depth of {@code value}: 0 for scalars, 1 + the deepest item for containers. */
    static int depth(Object value) {
        return switch (value) {
            case Tuple t -> t.depth();
            case PyList l -> l.depth;
            case PyDict d -> d.depth;
            default -> 0;
        };
    }

    /** A short description for errors: the Python type and the size, never the contents (which may be huge). */
    static String describe(Object value) {
        return switch (value) {
            case String s -> "str of " + s.length() + " chars";
            case Long l -> "int " + l;
            case Double d -> "float " + d;
            case Boolean b -> "bool " + (b ? "True" : "False");
            case None n -> "None";
            case Global g -> "global " + g;
            case Tuple t -> "tuple of " + t.items().size();
            case PyList l -> "list of " + l.items.size();
            case PyDict d -> "dict of " + d.items.size();
            case StorageRef s -> "storage '" + s.key() + "'";
            case TorchTensor t -> "tensor " + t.shapeString();
            default -> value.getClass().getSimpleName();
        };
    }
}
