// The keys, values and attention mask of the positions a run has seen (TL's HookedTransformerKeyValueCache).
package dev.jlens.model;

import dev.jlens.model.components.KvCacheEntry;
import dev.jlens.model.config.Gpt2Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link HookedGpt2#forward(int[][], int[][], KvCache)} needs to continue a sequence without rerunning it: each
 * block's hook_k and hook_v of the positions so far, and their attention mask [batch, length] (1 real, 0 pad).
 * Belongs to one run: make one per generation (it is not thread-safe), and share the model instead. A forward that
 * throws part way leaves the cache unusable (later forwards with it are refused).
 */
public final class KvCache {
    private final int batch;
    private final List<KvCacheEntry> layers;
    private int[][] mask = null; // [batch, length]; null while every position so far is real

    /**
     * An empty cache for {@code batch} rows of {@code cfg}'s model; {@code expectedLength} (at most n_ctx) sizes the
     * buffers, which grow when a run goes past it.
     */
    public KvCache(Gpt2Config cfg, int batch, int expectedLength) {
        if (batch < 1) {
            throw new IllegalArgumentException("a KV cache needs a batch of at least 1 row, got " + batch);
        }
        this.batch = batch;
        this.layers = new ArrayList<>(cfg.nLayers());
        for (int l = 0; l < cfg.nLayers(); l++) {
            layers.add(new KvCacheEntry(expectedLength, cfg.nCtx()));
        }
    }

    /** Rows of the batch. */
    public int batch() {
        return batch;
    }

    /** Positions cached so far. */
    public int length() {
        return layers.isEmpty() ? 0 : layers.getFirst().length();
    }

    /** Throws when the blocks hold different lengths: a forward with this cache failed half way. */
    void checkConsistent() {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).length() != length()) {
                throw new IllegalStateException("the KV cache is unusable: block " + l + " holds "
                        + layers.get(l).length() + " positions but block 0 holds " + length()
                        + " (a forward with it failed part way); start a new cache");
            }
        }
    }

    /** Block {@code layer}'s entry. */
    KvCacheEntry layer(int layer) {
        return layers.get(layer);
    }

    /**
     * The mask of all positions [batch, length + n] once the n new positions' mask {@code newMask} [batch, n] (null:
     * all real) follows the cached one; null while every position is real. Changes nothing (see {@link #keepMask}).
     */
    int[][] maskWith(int[][] newMask, int n) {
        if (newMask == null && mask == null) {
            return null;
        }
        int past = length();
        int[][] all = new int[batch][past + n];
        for (int b = 0; b < batch; b++) {
            if (mask != null) {
                System.arraycopy(mask[b], 0, all[b], 0, past);
            } else {
                Arrays.fill(all[b], 0, past, 1);
            }
            if (newMask != null) {
                System.arraycopy(newMask[b], 0, all[b], past, n);
            } else {
                Arrays.fill(all[b], past, past + n, 1);
            }
        }
        return all;
    }

    /** Records the mask of all cached positions, [batch, length] or null, after a forward appended them. */
    void keepMask(int[][] all) {
        mask = all;
    }
}
