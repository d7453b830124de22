// One headless Chromium per test JVM, driven over the DevTools protocol; skipped without it, except in CI.
package dev.jlens.model.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts the system's Chromium ({@code /usr/bin/chromium}, or {@code $JLENS_CHROMIUM}) headless with a fresh profile
 * and a DevTools port, once for all test classes, and stops it when the JVM exits. Without a Chromium a test that
 * needs one is skipped with a hint (Debian: {@code apt-get install chromium}); with CI=true that is a failure.
 */
public final class Chromium {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static Chromium shared;

    private final Process process;
    private final Path profile;
    private final DevTools devTools;

    private Chromium(Path binary) throws IOException {
        profile = Files.createTempDirectory("jlens-chromium-");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,900",
                "about:blank"));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread drain = new Thread(() -> { // reads the DevTools URL, then keeps the pipe from filling up
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    } else if (!url.isDone()) {
                        log.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IOException("chromium exited before listening:\n" + log));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            devTools = new DevTools(URI.create(url.get(60, TimeUnit.SECONDS)));
        } catch (Exception e) {
            stop();
            throw new IOException("could not start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /** The shared browser, started on first use; skips the calling test (fails it in CI) when there is none. */
    public static synchronized Chromium shared() throws IOException {
        if (shared == null) {
            Path binary = binary();
            if (binary == null) {
                String hint = "HINT: this test needs a headless Chromium (Debian: apt-get install chromium "
                        + "chromium-driver; or set JLENS_CHROMIUM to its path); found none in " + CANDIDATES;
                if ("true".equals(System.getenv("CI"))) {
                    throw new IllegalStateException(hint);
                }
                Assumptions.abort(hint);
            }
            Chromium c = new Chromium(binary);
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
            shared = c;
        }
        return shared;
    }

    private static Path binary() {
        String env = System.getenv("JLENS_CHROMIUM");
        if (env != null && !env.isEmpty()) {
            return Files.isExecutable(Path.of(env)) ? Path.of(env) : null;
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Opens {@code file} in a new tab and waits for its load event. */
    public Page open(Path file) {
        return Page.open(devTools, file.toAbsolutePath().toUri().toString());
    }

    private void stop() {
        if (devTools != null) {
            devTools.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the profile is a temp folder; leaving it behind is harmless
        }
    }
}
