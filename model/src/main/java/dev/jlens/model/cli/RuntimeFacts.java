// What the self-check reports about the machine and JVM: backend, CPU settings, huge pages, CUDA, Java.
package dev.jlens.model.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The settings a run depends on, as label -> value rows, each read from where it is decided. */
final class RuntimeFacts {
    private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private RuntimeFacts() {}

    /** Rows for {@code backend} (the one in use): its description and settings, then the machine's. */
    static SequencedMap<String, String> of(Backend backend) {
        SequencedMap<String, String> rows = new LinkedHashMap<>();
        rows.put("backend", backend.describe());
        rows.putAll(backend.settings());
        for (Backend other : Backends.all()) {
            if (!other.name().equals("cuda") && other.unavailableReason() != null) {
                rows.put(other.name() + " backend", "unavailable: " + other.unavailableReason());
            }
        }
        rows.put("transparent huge pages", hugePages());
        rows.put("CUDA", cuda());
        rows.put("Java", Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "), max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        return rows;
    }

    /** The kernel's THP mode (the bracketed word of {@code enabled}) and whether this JVM asks for huge pages. */
    static String hugePages() {
        String kernel;
        try {
            String modes = Files.readString(THP).strip();        // e.g. "always [madvise] never"
            Matcher chosen = Pattern.compile("\\[(\\w+)]").matcher(modes);
            kernel = chosen.find() ? chosen.group(1) : modes;
        } catch (IOException e) {
            kernel = "not offered (no " + THP + ")";
        }
        boolean jvm = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("UseTransparentHugePages").getValue());
        return "kernel " + kernel + "; JVM -XX:" + (jvm ? "+" : "-") + "UseTransparentHugePages";
    }

    /** The CUDA device and cuBLAS in use, or why CUDA cannot run here (no driver, no device, no PTX, ...). */
    static String cuda() {
        Backend cuda = Backends.all().stream().filter(b -> b.name().equals("cuda")).findFirst().orElse(null);
        if (cuda == null) {
            return "no cuda backend on the class path";
        }
        String why = cuda.unavailableReason();
        return why == null ? "available: " + cuda.describe() : "unavailable: " + why;
    }
}
