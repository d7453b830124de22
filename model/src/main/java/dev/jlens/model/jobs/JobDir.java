// A job's output folder: a manifest naming the job and its parameters, and the shards finished so far.
package dev.jlens.model.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code DIR/manifest.json} holds {"job": kind, "params": text, "done": [shard, ...]}, rewritten atomically after
 * each finished shard. Opening a folder resumes it when the manifest names the same job and parameters; a folder
 * holding anything else is refused unless {@code overwrite}, which empties it first. Thread-safe.
 */
public final class JobDir {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String MANIFEST = "manifest.json";

    private final Path dir;
    private final String job;
    private final String params;
    private final TreeSet<Integer> done = new TreeSet<>();

    private JobDir(Path dir, String job, String params) {
        this.dir = dir;
        this.job = job;
        this.params = params;
    }

    /**
     * Opens {@code dir} for {@code job} with {@code params} (a canonical text of every setting that changes the
     * output): creates it, resumes it, or refuses it (see the class comment).
     */
    public static JobDir open(Path dir, String job, String params, boolean overwrite) {
        JobDir d = new JobDir(dir, job, params);
        try {
            Path manifest = dir.resolve(MANIFEST);
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                boolean same = Files.exists(manifest) && d.readManifest(manifest);
                if (!same && !overwrite) {
                    throw new IllegalArgumentException("output folder " + dir + " already holds "
                            + (Files.exists(manifest) ? "the results of a different job or settings" : "other files")
                            + "; choose another folder or pass --overwrite to replace them");
                }
                if (!same) {
                    deleteContents(dir);
                    d.done.clear();
                }
            }
            Files.createDirectories(dir.resolve("shards"));
            d.writeManifest();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The file of shard {@code shard} with this suffix, under DIR/shards. */
    public Path shardFile(int shard, String suffix) {
        return dir.resolve("shards").resolve(String.format("shard-%06d%s", shard, suffix));
    }

    /** True when shard {@code shard} finished in this run or an earlier one. */
    public synchronized boolean isDone(int shard) {
        return done.contains(shard);
    }

    /** Records that shard {@code shard} finished (its files are complete). */
    public synchronized void markDone(int shard) {
        done.add(shard);
        writeManifest();
    }

    /** Shards finished so far. */
    public synchronized int doneCount() {
        return done.size();
    }

    private boolean readManifest(Path manifest) throws IOException {
        String foundJob = null;
        String foundParams = null;
        TreeSet<Integer> shards = new TreeSet<>();
        try (JsonParser p = JSON.createParser(manifest.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "job" -> foundJob = p.getText();
                    case "params" -> foundParams = p.getText();
                    case "done" -> {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            shards.add(p.getIntValue());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return false; // unreadable: treated as another job's
        }
        if (!job.equals(foundJob) || !params.equals(foundParams)) {
            return false;
        }
        done.addAll(shards);
        return true;
    }

    private void writeManifest() {
        AtomicFiles.write(dir.resolve(MANIFEST), tmp -> {
            try (JsonGenerator g = JSON.createGenerator(tmp.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("job", job);
                g.writeStringField("params", params);
                g.writeArrayFieldStart("done");
                for (int s : done) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        });
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
