// One layer's keys and values of the positions run so far (TL's HookedTransformerKeyValueCacheEntry).
package dev.jlens.model.components;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backends;

/**
 * hook_k and hook_v of positions [0, length) of one block, in buffers [batch, head_index, capacity, d_head] that
 * grow by doubling, so that a decode step writes only its new positions and each head's keys and values are one
 * contiguous run for attention to stream (half the time of reading them 3 KB apart, position-major, at batch 8).
 * They are handed out as [batch, pos, head_index, d_head] views. Belongs to one run (one generation); not thread-safe.
 */
public final class KvCacheEntry {
    private Tensor keys;   // [batch, head_index, capacity, d_head]; null until the first append
    private Tensor values; // [batch, head_index, capacity, d_head]
    private int length;    // positions filled
    private final int initialCapacity; // positions the first buffers hold
    private final int maxLength;       // n_ctx: capacity never grows past it

    /** An empty entry that grows to at most {@code maxLength} positions, starting at {@code initialCapacity}. */
    public KvCacheEntry(int initialCapacity, int maxLength) {
        this.initialCapacity = Math.max(1, Math.min(initialCapacity, maxLength));
        this.maxLength = maxLength;
    }

    /** The number of cached positions. */
    public int length() {
        return length;
    }

    /**
     * Appends k and v [batch, n, head_index, d_head] of the next n positions and returns the keys and values of all
     * positions, [batch, length + n, head_index, d_head] each (views of the buffers, valid until the next append).
     */
    public Tensor[] append(Tensor k, Tensor v) {
        int n = k.size(1);
        if (keys != null && (k.size(0) != keys.size(0) || k.size(2) != keys.size(1) || k.size(3) != keys.size(3))) {
            throw new IllegalArgumentException("new keys " + Shape.str(k.shape()) + " do not match the cached "
                    + Shape.str(positions(keys, length).shape()) + " in batch, heads or d_head");
        }
        reserve(k, length + n);
        positions(keys, length + n).narrow(1, length, n).copyFrom(k);
        positions(values, length + n).narrow(1, length, n).copyFrom(v);
        length += n;
        return new Tensor[] {positions(keys, length), positions(values, length)};
    }

    /** Positions [0, count) of a buffer [batch, head_index, capacity, d_head] as [batch, count, head_index, d_head]. */
    private static Tensor positions(Tensor buffer, int count) {
        return buffer.narrow(2, 0, count).permute(0, 2, 1, 3);
    }

    /** Makes room for {@code needed} positions, copying what is cached into larger buffers. */
    private void reserve(Tensor like, int needed) {
        if (needed > maxLength) {
            throw new IllegalArgumentException("the KV cache holds " + length + " positions; " + (needed - length)
                    + " more would pass n_ctx " + maxLength);
        }
        int capacity = keys == null ? 0 : keys.size(2);
        if (needed <= capacity) {
            return;
        }
        int grown = Math.min(maxLength, Math.max(needed, Math.max(initialCapacity, 2 * capacity)));
        int[] shape = {like.size(0), like.size(2), grown, like.size(3)};
        Tensor newKeys = Backends.current().zeros(shape);
        Tensor newValues = Backends.current().zeros(shape);
        if (length > 0) {
            positions(newKeys, length).copyFrom(positions(keys, length));
            positions(newValues, length).copyFrom(positions(values, length));
        }
        keys = newKeys;
        values = newValues;
    }
}
