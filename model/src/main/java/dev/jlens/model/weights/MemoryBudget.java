// Before a load: the native memory a model will take, against what this machine can give; refuse with the numbers.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The bytes a loaded model keeps off the heap (each weight once, float32; the embedding table only when the load
 * copies it, see {@link OwnedWeights#copiesOffHeap}: from a safetensors file it is read from the file's pages) plus
 * the transient of a streamed load (one block; with processing also one W_U), compared with the memory available to
 * the process: Linux's MemAvailable, and the cgroup v2 limit minus its usage when one is set. Mapped checkpoint pages
 * are not counted: the loader releases them part by part and the page cache gives them back on demand.
 */
public final class MemoryBudget {
    private static final long GB = 1_000_000_000L;

    private MemoryBudget() {}

    /** Float32 bytes of every weight of {@code cfg}, W_E counted apart from W_U: the bytes of its state dict. */
    public static long modelBytes(Gpt2Config cfg) {
        long d = cfg.dModel();
        long attn = 4 * d * cfg.nHeads() * cfg.dHead() + 3L * cfg.nHeads() * cfg.dHead() + d; // W_Q,K,V,O; b_Q,K,V; b_O
        long mlp = cfg.attnOnly() ? 0 : 2 * d * cfg.dMlp() + cfg.dMlp() + d;
        long perLayer = attn + mlp + 4 * d;
        return 4 * (2 * d * cfg.dVocab() + cfg.nCtx() * d + cfg.nLayers() * perLayer + cfg.dVocab() + 2 * d);
    }

    /** {@link #modelBytes(Gpt2Config)}, less W_E's [d_vocab, d_model] unless {@code embeddingCopied}. */
    public static long modelBytes(Gpt2Config cfg, boolean embeddingCopied) {
        return modelBytes(cfg) - (embeddingCopied ? 0 : 4L * cfg.dVocab() * cfg.dModel());
    }

    /** The most bytes a streamed load holds besides the model: one block, and one W_U when processing. */
    public static long transientBytes(Gpt2Config cfg, boolean processing) {
        long block = (modelBytes(cfg) - 4L * (2L * cfg.dModel() * cfg.dVocab() + (long) cfg.nCtx() * cfg.dModel()))
                / Math.max(1, cfg.nLayers());
        return block + (processing ? 4L * cfg.dModel() * cfg.dVocab() : 0);
    }

    /**
     * Throws when the model will not fit in {@code available} bytes (empty: unknown, no check); its embedding table
     * counts only when {@code embeddingCopied} (see {@link OwnedWeights#copiesOffHeap}).
     *
     * @throws IllegalStateException one line: the bytes needed, the bytes available, what to change
     */
    public static void check(Gpt2Config cfg, boolean processing, boolean embeddingCopied, String source,
            OptionalLong available) {
        long weights = modelBytes(cfg, embeddingCopied);
        long need = weights + transientBytes(cfg, processing);
        if (available.isPresent() && need > available.getAsLong()) {
            throw new IllegalStateException(String.format("%s (%s) needs about %.2f GB of memory to load (%.2f GB of "
                    + "weights, %.2f GB while loading%s) but %.2f GB is available; close other programs, raise the "
                    + "memory limit, or load a smaller model%s", source, cfg.modelName(), need / (double) GB,
                    weights / (double) GB, transientBytes(cfg, processing) / (double) GB,
                    processing ? ", with processing" : "", available.getAsLong() / (double) GB,
                    processing ? " (without processing it needs " + String.format("%.2f", (need
                            - transientBytes(cfg, true) + transientBytes(cfg, false)) / (double) GB) + " GB)" : ""));
        }
    }

    /** Memory this process can still take: MemAvailable, capped by a cgroup v2 limit; empty when unknown. */
    public static OptionalLong available() {
        OptionalLong mem = meminfoAvailable(Path.of("/proc/meminfo"));
        OptionalLong group = cgroupHeadroom(Path.of("/sys/fs/cgroup"));
        if (mem.isPresent() && group.isPresent()) {
            return OptionalLong.of(Math.min(mem.getAsLong(), group.getAsLong()));
        }
        return mem.isPresent() ? mem : group;
    }

    static OptionalLong meminfoAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    static OptionalLong cgroupHeadroom(Path cgroup) {
        try {
            String max = Files.readString(cgroup.resolve("memory.max")).trim();
            if (max.equals("max")) {
                return OptionalLong.empty();
            }
            long current = Long.parseLong(Files.readString(cgroup.resolve("memory.current")).trim());
            return OptionalLong.of(Math.max(0, Long.parseLong(max) - current));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
