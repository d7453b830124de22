// The PTX the build compiled from kernels/src/main/cuda (resources cuda/*.ptx) and the kernel entries it defines.
package dev.jlens.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PTX resources and lists their {@code .entry} points (the kernels a module exports). */
final class Ptx {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(");

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
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Null when every {@link Kernel} has its PTX, otherwise why not. */
    static String missing() {
        for (Kernel k : Kernel.values()) {
            String ptx = load(k.file());
            if (ptx == null) {
                return "no PTX kernels in this build (cuda/" + k.file() + ".ptx is missing: nvcc was not found when "
                        + "jlens-kernels was built; see scripts/build-ptx.sh)";
            }
            if (!entries(ptx).contains(k.entry())) {
                return "cuda/" + k.file() + ".ptx has no kernel " + k.entry();
            }
        }
        return null;
    }
}
