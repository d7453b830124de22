// A Chrome DevTools Protocol connection over java.net.http's WebSocket: numbered commands, answers, events.
package dev.jlens.model.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One browser-level CDP connection; commands to a page go with its session id (flattened target sessions). */
final class DevTools implements AutoCloseable {
    private static final long TIMEOUT_S = 30;

    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();

    DevTools(URI browserSocket) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(browserSocket, new Listener())
                .orTimeout(TIMEOUT_S, TimeUnit.SECONDS).join();
    }

    /** Calls {@code onEvent} with every event message (method, params, sessionId). */
    void listen(Consumer<Map<String, Object>> onEvent) {
        listeners.add(onEvent);
    }

    /**
     * Sends {@code method} with {@code params} (a JSON object's text) to {@code session} (null: the browser) and
     * returns the result, or throws with the protocol's error.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> send(String session, String method, String params) {
        int id = nextId.getAndIncrement();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String message = "{\"id\":" + id + ",\"method\":" + Json.quote(method) + ",\"params\":" + params
                + (session == null ? "" : ",\"sessionId\":" + Json.quote(session)) + "}";
        synchronized (socket) {
            socket.sendText(message, true).join();
        }
        Map<String, Object> reply;
        try {
            reply = answer.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no answer to " + method + " within " + TIMEOUT_S + " s", e);
        } finally {
            pending.remove(id);
        }
        if (reply.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        Object result = reply.get("result");
        return result instanceof Map ? (Map<String, Object>) result : Map.of();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Map<String, Object> message = (Map<String, Object>) Json.parse(partial.toString());
                partial.setLength(0);
                if (message.get("id") instanceof Number n) {
                    CompletableFuture<Map<String, Object>> f = pending.get(n.intValue());
                    if (f != null) {
                        f.complete(message);
                    }
                } else {
                    listeners.forEach(l -> l.accept(message));
                }
            }
            ws.request(1);
            return null;
        }
    }
}
