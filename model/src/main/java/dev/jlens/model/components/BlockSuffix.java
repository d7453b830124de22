// Which positions a resumed block computes (TL's past_kv_cache at one block): cached keys before p0, few outputs.
package dev.jlens.model.components;

import dev.jlens.tensor.Tensor;

/**
 * A block run on positions p0.. of a pos-token sequence. Keys and values are made for every position from p0;
 * queries, z, attn_out, resid_mid, the MLP and resid_post only for the last {@code outputs} positions (exact: a
 * position's output depends on no later position, and no later block reads it when only those outputs are kept).
 *
 * @param pastK   hook_k at positions [0, p0): [batch, p0, head_index, d_head], or null when p0 = 0 or a cache
 *                holds them
 * @param pastV   hook_v at positions [0, p0), like pastK
 * @param outputs how many of the last positions the block outputs, 1 to pos - p0
 * @param cache   the layer's KV cache, which holds positions [0, p0) and keeps the new keys and values; or null
 */
public record BlockSuffix(Tensor pastK, Tensor pastV, int outputs, KvCacheEntry cache) {
    /** A suffix resumed from given past keys and values, keeping nothing. */
    public BlockSuffix(Tensor pastK, Tensor pastV, int outputs) {
        this(pastK, pastV, outputs, null);
    }

    /** All {@code outputs} new positions of a run that continues from {@code cache} and appends to it. */
    public static BlockSuffix cached(KvCacheEntry cache, int outputs) {
        return new BlockSuffix(null, null, outputs, cache);
    }

    /** p0: the number of positions whose keys and values come from the cache. */
    public int cached() {
        return cache != null ? cache.length() : pastK == null ? 0 : pastK.size(1);
    }

    /** Keys and values of all positions [batch, pos, head_index, d_head], given those of positions p0... */
    Tensor[] withPast(Tensor k, Tensor v) {
        if (cache != null) {
            return cache.append(k, v);
        }
        return pastK == null ? new Tensor[] {k, v} : new Tensor[] {Tensor.cat(1, pastK, k), Tensor.cat(1, pastV, v)};
    }
}
