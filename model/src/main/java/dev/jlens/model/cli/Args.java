// Command-line flags: "--name value" pairs (repeatable) and bare switches, checked against what a command takes.
package dev.jlens.model.cli;

import dev.jlens.hooks.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed flags of one command; unknown flags (with the nearest known one suggested), missing values and bad numbers
 * are errors naming the flag. {@code --help} or {@code -h} in a flag's place stops parsing (see {@link #helpWanted}).
 */
final class Args {
    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private boolean help;

    /**
     * @param command  the command, for messages
     * @param args     what followed the command
     * @param valued   flags that take a value (may repeat)
     * @param switches flags that take none
     */
    Args(String command, String[] args, Set<String> valued, Set<String> switches) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                help = true;
                return;
            }
            if (switches.contains(flag)) {
                values.computeIfAbsent(flag, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(flag)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(command + ": " + flag + " needs a value");
                }
                values.computeIfAbsent(flag, k -> new ArrayList<>()).add(args[++i]);
            } else {
                List<String> known = new ArrayList<>(valued);
                known.addAll(switches);
                known.sort(null);
                String nearest = Suggest.closest(flag, known, Math.min(3, flag.length() / 2));
                throw new IllegalArgumentException(command + ": unknown option '" + flag + "'; "
                        + (nearest != null ? "did you mean " + nearest + "? " : "") + "it takes "
                        + String.join(", ", known) + " (./jlens " + command + " --help)");
            }
        }
    }

    /** True when --help or -h came before any bad flag: the command should print its usage and do nothing else. */
    boolean helpWanted() {
        return help;
    }

    /** The last value of {@code flag}, or {@code fallback}. */
    String get(String flag, String fallback) {
        List<String> v = values.get(flag);
        return v == null ? fallback : v.getLast();
    }

    /** The value of a required flag. */
    String require(String flag) {
        String v = get(flag, null);
        if (v == null) {
            throw new IllegalArgumentException(command + ": " + flag + " is required");
        }
        return v;
    }

    /** Every value of a repeatable flag, in order. */
    List<String> all(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    /** True when a switch was given. */
    boolean has(String flag) {
        return values.containsKey(flag);
    }

    /** A number flag, or {@code fallback}. */
    double number(String flag, double fallback) {
        String v = get(flag, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": " + flag + " expects a number, got '" + v + "'");
        }
    }

    /** Comma-separated token ids, e.g. "50256,464,3290". */
    static int[] ids(String flag, String text) {
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": '" + parts[i].trim() + "' is not a token id (in '"
                        + text + "')");
            }
        }
        return out;
    }
}
