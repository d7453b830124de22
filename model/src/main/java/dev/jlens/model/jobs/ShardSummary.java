// The top-k and statistics of every feature source over some contexts; saved per shard, merged in shard order.
package dev.jlens.model.jobs;

import dev.jlens.model.dataset.Context;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Per source: a {@link TopK} and {@link FeatureStats} over the real positions of the contexts added. */
final class ShardSummary {
    private static final int MAGIC = 0x6a6c546b; // "jlTk"

    final TopK[] top;
    final FeatureStats[] stats;

    private ShardSummary(TopK[] top, FeatureStats[] stats) {
        this.top = top;
        this.stats = stats;
    }

    /** An empty summary; sizes come from the first batch. */
    static ShardSummary empty(int sources) {
        return new ShardSummary(new TopK[sources], new FeatureStats[sources]);
    }

    /** Adds a batch: values[s] is [batch * ctx_len, features] of source s for {@code batch}, in order. */
    void add(List<Context> batch, float[][] values, int k) {
        int ctxLen = batch.getFirst().tokens().length;
        for (int s = 0; s < values.length; s++) {
            int features = values[s].length / (batch.size() * ctxLen);
            if (top[s] == null) {
                top[s] = new TopK(features, k);
                stats[s] = new FeatureStats(features);
            }
            float[] v = values[s];
            for (int b = 0; b < batch.size(); b++) {
                Context c = batch.get(b);
                for (int p = 0; p < c.length(); p++) {
                    int row = (b * ctxLen + p) * features;
                    stats[s].add(v, row);
                    for (int f = 0; f < features; f++) {
                        top[s].offer(f, v[row + f], c.index(), p);
                    }
                }
            }
        }
    }

    /** Adds {@code other} (the next shard in order). */
    void merge(ShardSummary other) {
        for (int s = 0; s < top.length; s++) {
            if (top[s] == null) {
                top[s] = new TopK(other.top[s].features(), other.top[s].k());
                stats[s] = new FeatureStats(other.top[s].features());
            }
            top[s].merge(other.top[s]);
            stats[s].merge(other.stats[s]);
        }
    }

    /** The summary as bytes (the shard file's content). */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(top.length);
            for (int s = 0; s < top.length; s++) {
                top[s].write(out);
                stats[s].write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code bytes} to {@code file} through a temporary file and an atomic rename (no torn file on a crash). */
    static void save(Path file, byte[] bytes) {
        AtomicFiles.write(file, tmp -> Files.write(tmp, bytes));
    }

    static ShardSummary load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalStateException(file + " is not a jlens top-activations shard");
            }
            int sources = in.readInt();
            ShardSummary s = empty(sources);
            for (int i = 0; i < sources; i++) {
                s.top[i] = TopK.read(in);
                s.stats[i] = FeatureStats.read(in);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + file + ": " + e.getMessage(), e);
        }
    }
}
