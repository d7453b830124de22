// One browser tab under test: JavaScript evaluation, mouse moves, screenshots, and what went wrong while loading.
package dev.jlens.model.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A tab attached through a flattened DevTools session. It records console errors, uncaught exceptions, error log
 * entries and every network request that is not the page itself, from before the page loads.
 */
public final class Page implements AutoCloseable {
    private final DevTools devTools;
    private final String targetId;
    private final String session;
    private final String url;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    private Page(DevTools devTools, String targetId, String session, String url) {
        this.devTools = devTools;
        this.url = url;
        this.targetId = targetId;
        this.session = session;
    }

    static Page open(DevTools devTools, String url) {
        String target = (String) devTools.send(null, "Target.createTarget", "{\"url\":\"about:blank\"}")
                .get("targetId");
        String session = (String) devTools.send(null, "Target.attachToTarget", "{\"targetId\":" + Json.quote(target)
                + ",\"flatten\":true}").get("sessionId");
        Page page = new Page(devTools, target, session, url);
        devTools.listen(page::onEvent);
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            devTools.send(session, domain + ".enable", "{}");
        }
        devTools.send(session, "Page.navigate", "{\"url\":" + Json.quote(url) + "}");
        try {
            page.loaded.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("page " + url + " did not load within 30 s", e);
        }
        return page;
    }

    private void onEvent(Map<String, Object> message) {
        if (!session.equals(message.get("sessionId"))) {
            return;
        }
        Object params = message.get("params");
        switch (String.valueOf(message.get("method"))) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + Json.get(params, "exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(Json.get(params, "type")) || "assert".equals(Json.get(params, "type"))) {
                    errors.add("console." + Json.get(params, "type") + ": " + Json.get(params, "args"));
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(Json.get(params, "entry", "level"))) {
                    errors.add("log: " + Json.get(params, "entry", "text") + " " + Json.get(params, "entry", "url"));
                }
            }
            case "Network.requestWillBeSent" -> {
                Object requested = Json.get(params, "request", "url");
                if (!url.equals(requested) && !"about:blank".equals(requested)) {
                    requests.add(String.valueOf(requested));
                }
            }
            default -> { }
        }
    }

    /** Console errors, uncaught exceptions and error log entries so far. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** URLs requested besides the page's own file (a self-contained page requests none). */
    public List<String> otherRequests() {
        return List.copyOf(requests);
    }

    /** The value of a JavaScript expression (JSON-like: strings, numbers, booleans, lists, maps). */
    public Object eval(String expression) {
        Map<String, Object> r = devTools.send(session, "Runtime.evaluate", "{\"expression\":" + Json.quote(expression)
                + ",\"returnByValue\":true}");
        if (r.get("exceptionDetails") != null) {
            throw new IllegalStateException("JavaScript failed: " + expression + "\n" + r.get("exceptionDetails"));
        }
        return Json.get(r, "result", "value");
    }

    /** Moves the mouse to (x, y) in CSS pixels of the viewport, as a real pointer does (hover events fire). */
    public void mouseMove(double x, double y) {
        devTools.send(session, "Input.dispatchMouseEvent", String.format(Locale.ROOT,
                "{\"type\":\"mouseMoved\",\"x\":%.2f,\"y\":%.2f}", x, y));
    }

    /** Saves a PNG of the whole page (viewport grown to the document's size) to {@code file}. */
    public Path screenshot(Path file) throws IOException {
        Number w = (Number) eval("Math.ceil(document.documentElement.scrollWidth)");
        Number h = (Number) eval("Math.ceil(document.documentElement.scrollHeight)");
        devTools.send(session, "Emulation.setDeviceMetricsOverride", "{\"width\":" + w.intValue() + ",\"height\":"
                + h.intValue() + ",\"deviceScaleFactor\":1,\"mobile\":false}");
        String data = (String) devTools.send(session, "Page.captureScreenshot", "{\"format\":\"png\"}").get("data");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(data));
        return file;
    }

    @Override
    public void close() {
        devTools.send(null, "Target.closeTarget", "{\"targetId\":" + Json.quote(targetId) + "}");
    }
}
