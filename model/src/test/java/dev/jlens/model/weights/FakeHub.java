// Test helper: a loopback Hugging Face hub (127.0.0.1, port 0) with the hub's URL scheme, redirects and headers:
// resolve/{revision}/{file} answers non-LFS files itself (ETag = git blob sha1) and redirects LFS files to /cdn/
// with X-Linked-Etag (sha256) and X-Linked-Size; /cdn/ honours Range. Knobs simulate the failures the tests need.
package dev.jlens.model.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Serves one repo; {@link #log} records "METHOD path range auth" for every request. */
final class FakeHub implements AutoCloseable {
    static final String REPO = "jlens-test/tiny-gpt2";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Set<String> lfs;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile String requiredToken;
    volatile int resolveStatus; // when non-zero, every resolve/ request gets this status and no body
    volatile int cutFirstCdnGetAfter = -1;
    volatile boolean corruptCdn;
    volatile boolean ignoreRange;
    volatile boolean stallFirstCdnGet;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    FakeHub(Map<String, byte[]> repoFiles, Set<String> lfsFiles) throws IOException {
        files.putAll(repoFiles);
        lfs = lfsFiles;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static String sha256(byte[] b) {
        return digest("SHA-256", b);
    }

    /** git's blob id: sha1 of "blob {size}\0" + content, what the hub sends as ETag for non-LFS files. */
    static String gitSha1(byte[] b) {
        byte[] head = ("blob " + b.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + b.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        return digest("SHA-1", all);
    }

    private static String digest(String algo, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            log.add(ex.getRequestMethod() + " " + path + " " + range + " " + auth);
            if (path.startsWith("/cdn/")) {
                cdn(ex, path.substring(5), range);
            } else {
                resolve(ex, path, auth);
            }
        }
    }

    private void resolve(HttpExchange ex, String path, String auth) throws IOException {
        String[] p = path.split("/", 6); // "", org, name, "resolve", revision, file
        if (p.length < 6 || !p[3].equals("resolve")) {
            ex.sendResponseHeaders(400, -1);
            return;
        }
        String repo = p[1] + "/" + p[2];
        if (repo.equals("jlens-test/old-name")) {
            ex.getResponseHeaders().set("Location", "/" + REPO + "/resolve/" + p[4] + "/" + p[5]);
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (resolveStatus != 0) {
            ex.sendResponseHeaders(resolveStatus, -1);
            return;
        }
        if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
            ex.sendResponseHeaders(401, -1);
            return;
        }
        String error = !repo.equals(REPO) ? "RepoNotFound" : !Set.of("main", COMMIT).contains(p[4])
                ? "RevisionNotFound" : !files.containsKey(p[5]) ? "EntryNotFound" : null;
        if (error != null) {
            ex.getResponseHeaders().set("X-Error-Code", error);
            ex.sendResponseHeaders(404, -1);
            return;
        }
        byte[] body = files.get(p[5]);
        ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
        if (lfs.contains(p[5])) {
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256(body) + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(body.length));
            ex.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
            ex.getResponseHeaders().set("Location", endpoint() + "/cdn/" + sha256(body));
            ex.sendResponseHeaders(302, -1);
            return;
        }
        ex.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
        send(ex, 200, body, 0);
    }

    private void cdn(HttpExchange ex, String sha, String range) throws IOException {
        byte[] body = files.values().stream().filter(b -> sha256(b).equals(sha)).findFirst().orElse(null);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        body = body.clone();
        if (corruptCdn) {
            body[body.length / 2] ^= 0x55;
        }
        long start = range != null && !ignoreRange ? Long.parseLong(range.replaceAll("bytes=(\\d+)-", "$1")) : 0;
        if (start > 0) {
            ex.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        }
        int cut = cutFirstCdnGetAfter;
        if ((cut >= 0 || stallFirstCdnGet) && ex.getRequestMethod().equals("GET")) {
            cutFirstCdnGetAfter = -1;
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, Math.max(cut, 0));
            out.flush();
            if (stallFirstCdnGet) {
                stallFirstCdnGet = false;
                sleepUntilClosed();
            }
            throw new IOException("fake hub: dropping the connection mid-body"); // the server closes the socket
        }
        send(ex, start > 0 ? 206 : 200, body, (int) start);
    }

    private static void send(HttpExchange ex, int status, byte[] body, int from) throws IOException {
        int len = body.length - from;
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(len));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, len == 0 ? -1 : len);
        ex.getResponseBody().write(body, from, len);
    }

    private static void sleepUntilClosed() {
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
