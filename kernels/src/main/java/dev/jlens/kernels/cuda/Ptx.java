// The PTX the build compiled from kernels/src/main/cuda (resources cuda/*.ptx) and the kernel entries it defines.
package dev.jlens.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PTX resources and lists their {@code .entry} points (the kernels a module exports) and parameter types. */
final class Ptx {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(\\[\\d+\\])?");

    private Ptx() {}

    /** The PTX text of {@code cuda/<file>.ptx}, or null when this build has none (nvcc was absent). */
    static String load(String file) {
        try (InputStream in = Ptx.class.getResourceAsStream("/cuda/" + file + ".ptx")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading cuda/" + file + ".ptx", e);
        }
    }

    /** The kernel names a PTX module defines, in order. */
    static Set<String> entries(String ptx) {
        return params(ptx).keySet();
    }

    /** Each kernel's parameter types, e.g. "u64 b8[68] f32 u64" (type, plus the array size of a by-value struct). */
    static Map<String, String> params(String ptx) {
        Map<String, String> kernels = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) {
                types.add(p.group(1) + (p.group(2) == null ? "" : p.group(2)));
            }
            kernels.put(m.group(1), String.join(" ", types));
        }
        return kernels;
    }

    /** Null when every {@link Kernel} has its PTX, otherwise why not. */
    static String missing() {
        for (Kernel k : Kernel.values()) {
            String ptx = load(k.file());
            if (ptx == null) {
                return "no PTX kernels in this build (cuda/" + k.file() + ".ptx is missing: nvcc was not found when "
                        + "jlens-kernels was built; see scripts/build-ptx.sh)";
            }
            String params = params(ptx).get(k.entry());
            if (params == null) {
                return "cuda/" + k.file() + ".ptx has no kernel " + k.entry();
            }
            if (!params.equals(k.params())) {
                return "kernel " + k.entry() + " in cuda/" + k.file() + ".ptx takes (" + params + "), not (" + k.params()
                        + ")";
            }
        }
        return null;
    }
}
