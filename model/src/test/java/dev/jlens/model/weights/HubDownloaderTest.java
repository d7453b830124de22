// HubDownloader against a loopback fake hub: full download into a huggingface_hub-shaped cache, resume with Range
// after a dropped connection, a server that ignores Range, sha256 mismatch, 401/HF_TOKEN, 404s and offline mode.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HubDownloaderTest {
    @TempDir
    Path dir;

    private FakeHub hub;
    private HfCache cache;
    private byte[] weights;

    @BeforeEach
    void start() throws IOException {
        Path folder = TinyHfFolder.single(dir.resolve("source"));
        weights = Files.readAllBytes(folder.resolve("model.safetensors"));
        Map<String, byte[]> files = new HashMap<>();
        files.put("config.json", TinyHfFolder.CONFIG.getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights);
        files.put("vocab.json", "{\"a\": 0}".getBytes(StandardCharsets.UTF_8));
        hub = new FakeHub(files, Set.of("model.safetensors"));
        cache = new HfCache(dir.resolve("hub"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubDownloader downloader(String... extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint().toString()));
        for (int i = 0; i < extraEnv.length; i += 2) {
            env.put(extraEnv[i], extraEnv[i + 1]);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        return new HubDownloader(cache, env, http, Duration.ofSeconds(10), DownloadProgress.silent());
    }

    private long cdnGets() {
        return hub.log.stream().filter(l -> l.startsWith("GET /cdn/")).count();
    }

    @Test
    void downloadsIntoTheHubCacheLayout() throws IOException {
        Path snap = downloader().download(FakeHub.REPO, "main");
        Path repo = cache.repoDir(FakeHub.REPO);
        assertEquals(repo.resolve("snapshots").resolve(FakeHub.COMMIT), snap);
        assertEquals(FakeHub.COMMIT, Files.readString(repo.resolve("refs/main")));
        String sha = FakeHub.sha256(weights);
        assertEquals(Path.of("../../blobs/" + sha), Files.readSymbolicLink(snap.resolve("model.safetensors")));
        assertEquals(Path.of("../../blobs/" + FakeHub.gitSha1(TinyHfFolder.CONFIG.getBytes(StandardCharsets.UTF_8))),
                Files.readSymbolicLink(snap.resolve("config.json")));
        assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
        assertTrue(Files.exists(snap.resolve("vocab.json")));
        assertFalse(Files.exists(snap.resolve("merges.txt")), "404 for an optional file is skipped");
        assertEquals(Optional.of(snap), cache.snapshot(FakeHub.REPO, "main"));
        try (HfCheckpoint ckpt = HfCheckpoint.open(snap, FakeHub.REPO)) {
            assertEquals(TinyHfFolder.tensors().keySet(), ckpt.tensors().keySet());
        }
        assertEquals(1, cdnGets());
        downloader().download(FakeHub.REPO, "main");
        assertEquals(1, cdnGets(), "a second call finds the blobs and downloads nothing");
    }

    @Test
    void interruptedTransferResumesWithRange() throws IOException {
        hub.cutFirstCdnGetAfter = 100;
        HubException e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        Path partial = cache.repoDir(FakeHub.REPO).resolve("blobs/" + FakeHub.sha256(weights) + ".incomplete");
        assertTrue(e.getMessage().startsWith("network failure downloading " + hub.endpoint() + "/cdn/"
                + FakeHub.sha256(weights) + " after 100 of " + weights.length + " bytes ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the partial download is kept in " + partial
                + " and the next call resumes it"), e.getMessage());
        assertEquals(100, Files.size(partial));
        Path snap = downloader().download(FakeHub.REPO, "main");
        assertTrue(hub.log.contains("GET /cdn/" + FakeHub.sha256(weights) + " bytes=100- null"), hub.log.toString());
        assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
        assertFalse(Files.exists(partial));
    }

    @Test
    void stalledTransferFailsAfterTheIdleLimit() throws IOException {
        hub.stallFirstCdnGet = true;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HubDownloader fast = new HubDownloader(cache, Map.of("HF_ENDPOINT", hub.endpoint().toString()), http,
                Duration.ofMillis(500), DownloadProgress.silent());
        HubException e = assertThrows(HubException.class, () -> fast.download(FakeHub.REPO, "main"));
        String want = " after 0 of " + weights.length + " bytes (no data for 500 ms); the partial";
        assertTrue(e.getMessage().contains(want), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "the guard clears its interrupt");
        assertArrayEquals(weights, Files.readAllBytes(downloader().download(FakeHub.REPO, "main")
                .resolve("model.safetensors")));
    }

    @Test
    void serverIgnoringRangeRestartsTheFile() throws IOException {
        Path partial = Files.createDirectories(cache.repoDir(FakeHub.REPO).resolve("blobs"))
                .resolve(FakeHub.sha256(weights) + ".incomplete");
        Files.write(partial, new byte[] {1, 2, 3});
        hub.ignoreRange = true;
        Path snap = downloader().download(FakeHub.REPO, "main");
        assertTrue(hub.log.contains("GET /cdn/" + FakeHub.sha256(weights) + " bytes=3- null"), hub.log.toString());
        assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
    }

    @Test
    void sha256MismatchDeletesTheDownload() {
        hub.corruptCdn = true;
        HubException e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        String sha = FakeHub.sha256(weights);
        assertTrue(e.getMessage().startsWith("sha256 mismatch for " + hub.endpoint() + "/cdn/" + sha
                + ": the hub's LFS etag is " + sha + " but the download hashes to "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; deleted the download, run again"), e.getMessage());
        Path blobs = cache.repoDir(FakeHub.REPO).resolve("blobs");
        assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
        assertFalse(Files.exists(blobs.resolve(sha)));
    }

    @Test
    void privateRepoNeedsHfToken() throws IOException {
        hub.requiredToken = "hf_secret";
        String url = hub.endpoint() + "/" + FakeHub.REPO + "/resolve/main/config.json";
        HubException e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        String host = hub.endpoint().getAuthority();
        assertEquals(401, e.status());
        assertEquals(FakeHub.REPO + " is gated or private (or does not exist): " + host + " answered 401 Unauthorized "
                + "for " + url + "; set HF_TOKEN to a token that can read it", e.getMessage());
        e = assertThrows(HubException.class, () -> downloader("HF_TOKEN", "hf_wrong").download(FakeHub.REPO, "main"));
        assertEquals("HF_TOKEN was sent to " + host + " but rejected (401 Unauthorized for " + url + "); check that "
                + "it is valid and can read " + FakeHub.REPO, e.getMessage());
        Path snap = downloader("HF_TOKEN", "hf_secret").download(FakeHub.REPO, "main");
        assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
        assertTrue(hub.log.stream().filter(l -> l.startsWith("HEAD ")).allMatch(l -> l.endsWith(" Bearer hf_secret")
                || l.endsWith(" null") || l.endsWith(" Bearer hf_wrong")));
    }

    @Test
    void notFoundSaysWhat() {
        String host = hub.endpoint().getAuthority();
        HubException e = assertThrows(HubException.class, () -> downloader().download("jlens-test/nope", "main"));
        assertEquals("repo jlens-test/nope not found on " + host + " (404 for " + hub.endpoint()
                + "/jlens-test/nope/resolve/main/config.json); check the repo id", e.getMessage());
        e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "v9"));
        assertEquals("revision 'v9' of " + FakeHub.REPO + " not found on " + host + " (404 for " + hub.endpoint() + "/"
                + FakeHub.REPO + "/resolve/v9/config.json); check the branch, tag or commit", e.getMessage());
        hub.files.remove("model.safetensors");
        e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        assertEquals(FakeHub.REPO + " at main has no model.safetensors or model.safetensors.index.json; jlens reads "
                + "safetensors checkpoints only", e.getMessage());
    }

    @Test // catches a 403 or 5xx that names neither the repo nor what to do
    void forbiddenAndServerErrorsNameTheRepoAndTheWayOut() {
        String url = hub.endpoint() + "/" + FakeHub.REPO + "/resolve/main/config.json";
        String host = hub.endpoint().getAuthority();
        hub.resolveStatus = 403;
        HubException e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        assertEquals(FakeHub.REPO + " is gated or private: " + host + " answered 403 Forbidden for " + url + "; set "
                + "HF_TOKEN to a token with access to it (gated repos also need their terms accepted on the hub)",
                e.getMessage());
        hub.resolveStatus = 503;
        e = assertThrows(HubException.class, () -> downloader().download(FakeHub.REPO, "main"));
        assertEquals("HTTP 503 from " + host + " for " + FakeHub.REPO + " (" + url + "); the hub may be down: retry "
                + "later, or set HF_ENDPOINT to a mirror", e.getMessage());
        assertFalse(e.unreachable(), "an answer, even an error, is not 'unreachable'");
    }

    @Test // issue 22: ./jlens run --model gpt2 without network ended in a ConnectException stack trace
    void refusedConnectionIsOneLineNamingRepoHostCacheAndTheWaysOut() throws IOException {
        int port = closedPort();
        HubDownloader d = new HubDownloader(cache, Map.of("HF_ENDPOINT", "http://127.0.0.1:" + port), client(),
                Duration.ofSeconds(10), DownloadProgress.silent());
        HubException e = assertThrows(HubException.class, () -> d.download("gpt2", "main"));
        String msg = e.getMessage();
        assertTrue(e.unreachable() && e.status() == 0, msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.startsWith("cannot download openai-community/gpt2 (revision main): no response from 127.0.0.1:"
                + port + " for http://127.0.0.1:" + port + "/openai-community/gpt2/resolve/main/config.json: "), msg);
        Path repo = cache.repoDir("openai-community/gpt2");
        assertTrue(msg.contains("; the Hugging Face cache has no " + repo.resolve("snapshots") + File.separator
                + "<commit> named by its refs/main; "), msg);
        for (String hint : new String[] {"huggingface-cli download openai-community/gpt2", "HF_HUB_CACHE or HF_HOME",
            "set HF_ENDPOINT to a reachable mirror", "HF_TOKEN",
            "a folder holding config.json and model.safetensors"}) {
            assertTrue(msg.contains(hint), "lacks '" + hint + "': " + msg);
        }
        assertTrue(hasCause(e, java.net.ConnectException.class), "the ConnectException stays the root cause");

        Path snap = repo.resolve("snapshots").resolve(FakeHub.COMMIT);
        Files.createDirectories(snap);
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), FakeHub.COMMIT);
        msg = assertThrows(HubException.class, () -> d.download("gpt2", "main")).getMessage();
        assertTrue(msg.contains("; the Hugging Face cache has the snapshot folder " + snap + ", but it lacks "
                + "config.json or complete safetensors weights; "), "an incomplete snapshot is named: " + msg);
    }

    @Test // a server that takes the connection but never answers: the same one line, saying it timed out
    void silentServerTimesOutIntoTheSameLine() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            HubDownloader d = new HubDownloader(cache, Map.of("HF_ENDPOINT", endpoint), client(),
                    Duration.ofMillis(300), DownloadProgress.silent());
            HubException e = assertThrows(HubException.class, () -> d.download(FakeHub.REPO, "main"));
            assertTrue(e.unreachable(), e.getMessage());
            assertTrue(e.getMessage().startsWith("cannot download " + FakeHub.REPO + " (revision main): no response "
                    + "from 127.0.0.1:" + silent.getLocalPort() + " for " + endpoint + "/" + FakeHub.REPO
                    + "/resolve/main/config.json: no answer within 300 ms; the Hugging Face cache has no "),
                    e.getMessage());
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void renamedRepoFollowsTheRelativeRedirect() throws IOException {
        Path snap = downloader().download("jlens-test/old-name", "main");
        assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
    }

    @Test
    void offlineUsesTheCacheOnly() {
        HubException e = assertThrows(HubException.class,
                () -> downloader("HF_HUB_OFFLINE", "1").download(FakeHub.REPO, "main"));
        assertEquals("HF_HUB_OFFLINE is set and the cache " + cache.hubDir() + " has no complete snapshot of "
                + FakeHub.REPO + " at main", e.getMessage());
        Path snap = downloader().download(FakeHub.REPO, "main");
        int requests = hub.log.size();
        assertEquals(snap, downloader("HF_HUB_OFFLINE", "1").download(FakeHub.REPO, "main"));
        assertEquals(snap, downloader().download(FakeHub.REPO, FakeHub.COMMIT), "a commit in the cache needs no HEAD");
        assertEquals(requests, hub.log.size());
    }
}
