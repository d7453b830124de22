// The Hugging Face hub cache as huggingface_hub lays it out (file_download.py, constants.py): HF_HUB_CACHE, else
// HF_HOME/hub, else ~/.cache/huggingface/hub; per repo models--{org}--{name}/ with refs/{revision} (a commit hash),
// snapshots/{commit}/{file} (relative symlinks) and blobs/{etag}. A cache filled by Python is used as is.
package dev.jlens.model.weights;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Locates models in a Hugging Face hub cache. Repo ids go through {@link #ALIASES}: the hub moved the original
 * GPT-2 checkpoints under organisations, so {@code gpt2} and {@code openai-community/gpt2} are one model; lookups
 * try the canonical id first, then the short one (older caches hold {@code models--gpt2}). The environment is
 * passed in, never read from {@link System#getenv} inside the logic.
 */
public final class HfCache {
    /**
     * Legacy short ids and where the hub serves them now: gpt2, gpt2-medium, gpt2-large, gpt2-xl ->
     * openai-community/*; distilgpt2 -> distilbert/distilgpt2.
     */
    public static final Map<String, String> ALIASES = Map.of(
            "gpt2", "openai-community/gpt2",
            "gpt2-medium", "openai-community/gpt2-medium",
            "gpt2-large", "openai-community/gpt2-large",
            "gpt2-xl", "openai-community/gpt2-xl",
            "distilgpt2", "distilbert/distilgpt2");

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path hubDir;

    /** A cache rooted at {@code hubDir} (the folder holding {@code models--*}). */
    public HfCache(Path hubDir) {
        this.hubDir = hubDir;
    }

    /** The cache huggingface_hub would use with environment {@code env} and home folder {@code userHome}. */
    public static HfCache fromEnv(Map<String, String> env, Path userHome) {
        return new HfCache(hubDir(env, userHome));
    }

    /** The cache of this process: {@link System#getenv()} and the {@code user.home} property. */
    public static HfCache fromSystem() {
        return fromEnv(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * HF_HUB_CACHE (or the older HUGGINGFACE_HUB_CACHE), else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub,
     * else ~/.cache/huggingface/hub; a leading {@code ~/} is expanded as Python's expanduser does.
     */
    public static Path hubDir(Map<String, String> env, Path userHome) {
        for (String key : List.of("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")) {
            if (nonEmpty(env.get(key))) {
                return expand(env.get(key), userHome);
            }
        }
        if (nonEmpty(env.get("HF_HOME"))) {
            return expand(env.get("HF_HOME"), userHome).resolve("hub");
        }
        Path cache = nonEmpty(env.get("XDG_CACHE_HOME")) ? expand(env.get("XDG_CACHE_HOME"), userHome)
                : userHome.resolve(".cache");
        return cache.resolve("huggingface").resolve("hub");
    }

    /** The id the hub serves {@code repoId} under ({@link #ALIASES}), else {@code repoId} itself. */
    public static String canonicalRepoId(String repoId) {
        checkRepoId(repoId);
        return ALIASES.getOrDefault(repoId, repoId);
    }

    /** The folder this cache lives in. */
    public Path hubDir() {
        return hubDir;
    }

    /** {@code models--{org}--{name}} for the canonical id of {@code repoId} (where downloads go). */
    public Path repoDir(String repoId) {
        return hubDir.resolve(folderName(canonicalRepoId(repoId)));
    }

    /** The commit {@code revision} (a branch, tag or 40-hex commit) points to in the cache, if known. */
    public Optional<String> commit(String repoId, String revision) {
        checkRevision(revision);
        for (Path repo : candidates(repoId)) {
            Optional<String> c = commitIn(repo, revision);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /**
     * The snapshot folder of {@code repoId} at {@code revision} when it is complete: config.json and safetensors
     * weights (with every shard of a sharded index) present, symlinks resolving to blobs.
     */
    public Optional<Path> snapshot(String repoId, String revision) {
        checkRevision(revision);
        for (Path repo : candidates(repoId)) {
            Optional<Path> snap = commitIn(repo, revision).map(c -> repo.resolve("snapshots").resolve(c));
            if (snap.isPresent() && HfCheckpoint.isComplete(snap.get())) {
                return snap;
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@link #snapshot} found nothing, for an error message: "the snapshot folder F, but it lacks ..." when
     * refs/{revision} (or the commit itself) names a folder, else "no R/snapshots/&lt;commit&gt; named by its
     * refs/{revision}" for the folder R downloads go to.
     */
    public String missingSnapshot(String repoId, String revision) {
        checkRevision(revision);
        for (Path repo : candidates(repoId)) {
            Optional<String> c = commitIn(repo, revision);
            if (c.isPresent()) {
                return "the snapshot folder " + repo.resolve("snapshots").resolve(c.get()) + ", but it lacks "
                        + "config.json or complete safetensors weights";
            }
        }
        Path repo = repoDir(repoId);
        return COMMIT.matcher(revision).matches() ? "no snapshot folder " + repo.resolve("snapshots").resolve(revision)
                : "no " + repo.resolve("snapshots") + File.separator + "<commit> named by its refs/" + revision;
    }

    private static Optional<String> commitIn(Path repo, String revision) {
        if (COMMIT.matcher(revision).matches() && Files.isDirectory(repo.resolve("snapshots").resolve(revision))) {
            return Optional.of(revision);
        }
        Path ref = repo.resolve("refs").resolve(revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
        }
    }

    private List<Path> candidates(String repoId) {
        String canonical = canonicalRepoId(repoId);
        List<Path> out = new ArrayList<>(List.of(hubDir.resolve(folderName(canonical))));
        ALIASES.forEach((alias, target) -> {
            if (target.equals(canonical)) {
                out.add(hubDir.resolve(folderName(alias)));
            }
        });
        return out;
    }

    /** huggingface_hub's repo_folder_name: {@code models--} + the id with "/" replaced by "--". */
    static String folderName(String repoId) {
        return "models--" + repoId.replace("/", "--");
    }

    /** Rejects ids that are not {@code name} or {@code org/name} of the hub's characters. */
    static void checkRepoId(String repoId) {
        if (repoId == null || !repoId.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")
                || repoId.contains("..") || repoId.length() > 96) {
            throw new IllegalArgumentException("'" + repoId + "' is not a Hugging Face repo id (name or org/name, "
                    + "letters, digits, '-', '_', '.')");
        }
    }

    /** Rejects revisions that would leave refs/ or snapshots/ ("..", absolute paths, empty segments). */
    static void checkRevision(String revision) {
        if (revision == null || revision.isEmpty() || revision.startsWith("/") || revision.contains("\\")
                || List.of(revision.split("/", -1)).stream().anyMatch(s -> s.isEmpty() || s.equals(".."))) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision (a branch, tag or commit hash)");
        }
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static Path expand(String path, Path userHome) {
        if (path.equals("~")) {
            return userHome;
        }
        return path.startsWith("~/") ? userHome.resolve(path.substring(2)) : Path.of(path);
    }
}
