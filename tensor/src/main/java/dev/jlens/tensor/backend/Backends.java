// Backend registry: ServiceLoader discovery, -Djlens.backend override, one log record naming the choice.
package dev.jlens.tensor.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the backends on the class path and picks the one tensor ops use. Without {@code -Djlens.backend} the
 * available backend with the highest {@link Backend#priority()} wins (cuda over cpu over scalar); a forced name
 * that is unknown or unavailable is an error that lists the alternatives. {@link #use(Backend)} overrides the
 * choice for the current thread.
 *
 * <p>The choice is logged once ({@link System.Logger} {@code dev.jlens.backend}): at INFO normally, at WARNING when
 * the registry falls back to its last resort (the lowest priority, the slow scalar oracle) because faster backends
 * cannot run; the warning carries their reasons, e.g. that the JVM lacks {@code --add-modules=jdk.incubator.vector}.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger("dev.jlens.backend");
    private static final ThreadLocal<Backend> OVERRIDE = new ThreadLocal<>();
    private static volatile Backend selected;

    private Backends() {}

    /** The backend tensor ops on this thread dispatch to. */
    public static Backend current() {
        Backend b = OVERRIDE.get();
        return b != null ? b : selected();
    }

    /** The process-wide choice, made once on first use. */
    public static Backend selected() {
        Backend b = selected;
        if (b == null) {
            synchronized (Backends.class) {
                if (selected == null) {
                    selected = select(all(), System.getProperty("jlens.backend"));
                }
                b = selected;
            }
        }
        return b;
    }

    /** Every backend on the class path, available or not, highest priority first. */
    public static List<Backend> all() {
        List<Backend> found = new ArrayList<>();
        ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(Backend::priority).reversed());
        return found;
    }

    /** The backend named {@code name}; throws when it is not on the class path or cannot run here. */
    public static Backend byName(String name) {
        return pick(all(), name);
    }

    /** Makes {@code backend} current on this thread until the returned scope is closed. */
    public static Scope use(Backend backend) {
        Backend previous = OVERRIDE.get();
        OVERRIDE.set(backend);
        return () -> OVERRIDE.set(previous);
    }

    /** A thread-local backend override; closing restores the previous one. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static Backend select(List<Backend> backends, String forced) {
        if (forced != null && !forced.isBlank()) {
            Backend b = pick(backends, forced.trim());
            LOG.log(System.Logger.Level.INFO, "jlens backend: " + b.describe() + " (forced by -Djlens.backend)");
            return b;
        }
        List<String> skipped = new ArrayList<>();
        for (Backend b : backends) {
            String why = b.unavailableReason();
            if (why == null) {
                boolean lastResort = !skipped.isEmpty() && b == backends.getLast();
                String note = skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped);
                LOG.log(lastResort ? System.Logger.Level.WARNING : System.Logger.Level.INFO, "jlens backend: "
                        + b.describe() + (lastResort ? ", the slow fallback" : "") + note);
                return b;
            }
            skipped.add(b.name() + " (" + why + ")");
        }
        throw new IllegalStateException("no usable jlens backend on the class path"
                + (skipped.isEmpty() ? "; add jlens-kernels as a runtime dependency" : ": " + skipped));
    }

    static Backend pick(List<Backend> backends, String name) {
        for (Backend b : backends) {
            if (b.name().equalsIgnoreCase(name)) {
                String why = b.unavailableReason();
                if (why != null) {
                    throw new IllegalStateException("backend '" + name + "' was requested but cannot run here: " + why
                            + "; usable: " + usable(backends));
                }
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: "
                + backends.stream().map(Backend::name).collect(Collectors.joining(", ")));
    }

    private static String usable(List<Backend> backends) {
        return backends.stream().filter(b -> b.unavailableReason() == null).map(Backend::name)
                .collect(Collectors.joining(", "));
    }
}
