// Downloads a GPT-2 checkpoint from the Hugging Face hub into the hub cache, laid out exactly as huggingface_hub's
// hf_hub_download / snapshot_download do: blobs/{etag}(.incomplete), snapshots/{commit}/{file} as relative
// symlinks, refs/{revision}. Resumes partial blobs with Range and checks LFS files against their sha256 etag.
package dev.jlens.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fetches config.json, model.safetensors (or model.safetensors.index.json and its shards) and, when the repo has
 * them, vocab.json, merges.txt and tokenizer.json. Endpoint from {@code HF_ENDPOINT} (default
 * https://huggingface.co), token from {@code HF_TOKEN}; {@code HF_HUB_OFFLINE=1} uses the cache only. Failures are
 * {@link HubException}s naming the URL; an interrupted download keeps its {@code .incomplete} blob, and the next
 * call resumes it.
 */
public final class HubDownloader {
    /** Tokenizer files fetched when present; a 404 for them is not an error. */
    public static final List<String> OPTIONAL_FILES = List.of("vocab.json", "merges.txt", "tokenizer.json");

    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final HfCache cache;
    private final HubClient client;
    private final DownloadProgress progress;
    private final boolean offline;

    /** A downloader into {@code cache} configured by {@code env}, with its own HTTP client and a 60 s timeout. */
    public HubDownloader(HfCache cache, Map<String, String> env) {
        this(cache, env, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build(),
                Duration.ofSeconds(60), DownloadProgress.auto());
    }

    /**
     * A downloader with an injected client (it must not follow redirects itself), per-request {@code timeout}
     * (until the response headers arrive) and {@code progress}.
     */
    public HubDownloader(HfCache cache, Map<String, String> env, HttpClient http, Duration timeout,
            DownloadProgress progress) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "https://huggingface.co");
        String token = env.get("HF_TOKEN");
        this.cache = cache;
        this.client = new HubClient(http, URI.create(endpoint), token == null || token.isBlank() ? null : token,
                timeout);
        this.progress = progress;
        this.offline = List.of("1", "ON", "YES", "TRUE").contains(env.getOrDefault("HF_HUB_OFFLINE", "").toUpperCase());
    }

    /**
     * The snapshot folder of {@code repoId} at {@code revision} (e.g. "main"), downloading what is missing. When the
     * hub cannot be reached the {@link HubException} says where the cache was looked in and how to fill it.
     */
    public Path download(String repoId, String revision) {
        String repo = HfCache.canonicalRepoId(repoId);
        HfCache.checkRevision(revision);
        if (offline || COMMIT.matcher(revision).matches()) {
            var cached = cache.snapshot(repo, revision);
            if (cached.isPresent() || offline) {
                return cached.orElseThrow(() -> new HubException("HF_HUB_OFFLINE is set and the cache "
                        + cache.hubDir() + " has no complete snapshot of " + repo + " at " + revision, 0, null));
            }
        }
        try {
            return fetchSnapshot(repo, revision);
        } catch (HubException e) {
            if (!e.unreachable()) {
                throw e;
            }
            throw e.withMessage(unreachable(repo, revision, e));
        }
    }

    /**
     * One line for a hub that gave no response: the repo, the host and why, where jlens looked in the Hugging Face
     * cache, and the ways out (fill the cache, a mirror through HF_ENDPOINT, a local folder).
     */
    private String unreachable(String repo, String revision, HubException e) {
        return "cannot download " + repo + " (revision " + revision + "): " + e.getMessage() + "; the Hugging Face "
                + "cache has " + cache.missingSnapshot(repo, revision) + "; copy the repo's cache folder there from a "
                + "machine with network (huggingface-cli download " + repo + ") or point HF_HUB_CACHE or HF_HOME at a "
                + "cache that has it, set HF_ENDPOINT to a reachable mirror (with HF_TOKEN if the repo is gated), or "
                + "give a folder holding config.json and model.safetensors as the model";
    }

    private Path fetchSnapshot(String repo, String revision) {
        Path config = downloadFile(repo, revision, "config.json");
        String commit = config.getParent().getFileName().toString();
        Path snapshot = config.getParent();
        if (!fetchOptional(repo, revision, commit, HfCheckpoint.WEIGHTS)) {
            if (!fetchOptional(repo, revision, commit, ShardedSafeTensors.INDEX)) {
                throw new HubException(repo + " at " + revision + " has no " + HfCheckpoint.WEIGHTS + " or "
                        + ShardedSafeTensors.INDEX + "; jlens reads safetensors checkpoints only", 404, null);
            }
            for (String shard : ShardedSafeTensors.shardNames(snapshot.resolve(ShardedSafeTensors.INDEX))) {
                fetch(repo, revision, commit, shard);
            }
        }
        for (String file : OPTIONAL_FILES) {
            fetchOptional(repo, revision, commit, file);
        }
        return snapshot;
    }

    /** Downloads one file of {@code repoId} at {@code revision}; returns its path in the snapshot folder. */
    public Path downloadFile(String repoId, String revision, String fileName) {
        return fetch(HfCache.canonicalRepoId(repoId), revision, null, fileName);
    }

    private boolean fetchOptional(String repo, String revision, String commit, String file) {
        try {
            fetch(repo, revision, commit, file);
            return true;
        } catch (HubException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** HEAD, then GET into blobs/ unless the blob is there; pins later files to {@code commit} when known. */
    private Path fetch(String repo, String revision, String commit, String file) {
        URI url = client.resolveUrl(repo, commit == null ? revision : commit, file);
        HubClient.Target target = new HubClient.Target(repo, revision, file);
        HubClient.FileMetadata meta = client.head(url, target);
        if (!SAFE_ETAG.matcher(meta.etag()).matches() || !COMMIT.matcher(meta.commit()).matches()) {
            throw new HubException("HEAD " + url + " gave an unusable ETag '" + meta.etag() + "' or X-Repo-Commit '"
                    + meta.commit() + "'", 0, null);
        }
        Path repoDir = cache.repoDir(repo);
        Path blob = repoDir.resolve("blobs").resolve(meta.etag());
        try {
            if (!Files.isRegularFile(blob)) {
                BlobDownload.fetch(client, meta, blob, target, progress);
            }
            Path pointer = repoDir.resolve("snapshots").resolve(meta.commit()).resolve(file).normalize();
            if (!pointer.startsWith(repoDir.resolve("snapshots"))) {
                throw new HubException("file name '" + file + "' leaves the snapshot folder", 0, null);
            }
            link(pointer, blob);
            if (!revision.equals(meta.commit())) {
                Path ref = repoDir.resolve("refs").resolve(revision);
                Files.createDirectories(ref.getParent());
                Files.writeString(ref, meta.commit());
            }
            return pointer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " into the cache " + repoDir + ": " + e, e);
        }
    }

    /** snapshots/{commit}/{file} -> ../../blobs/{etag} (relative, as huggingface_hub); a copy where links fail. */
    private static void link(Path pointer, Path blob) throws IOException {
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);
        try {
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, pointer);
        }
    }
}
