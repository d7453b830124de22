// TL Embed and PosEmbed: token rows of W_E, and position rows of W_pos (counted from the first real token).
package dev.jlens.model.components;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.RowShiftedStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import dev.jlens.tensor.storage.Storage;

/**
 * Embedding lookups: {@link #tokens} gives W_E[tokens] [batch, pos, d_model]; {@link #positions} gives W_pos rows
 * [batch, pos, d_model], where with an attention mask positions count from each row's first real token and pad
 * rows are 0 (TL components/pos_embed.py). Neither owns hook points: hook_embed and hook_pos_embed sit at the root.
 * A loaded table may be read from the model's own mapping of its checkpoint (see OwnedWeights.own).
 */
public final class Embed {
    private final Tensor wE;   // [d_vocab, d_model]
    private final Tensor wPos; // [n_ctx, d_model]

    /** Embeddings from TL-shaped weights. */
    public Embed(Tensor wE, Tensor wPos) {
        this.wE = wE;
        this.wPos = wPos;
    }

    /** W_E [d_vocab, d_model]. */
    public Tensor wE() {
        return wE;
    }

    /** W_pos [n_ctx, d_model]. */
    public Tensor wPos() {
        return wPos;
    }

    /** W_E[tokens]: [batch, pos, d_model]; ids were validated by the caller. */
    public Tensor tokens(int[][] tokens) {
        int batch = tokens.length;
        int pos = tokens[0].length;
        int[] flat = new int[batch * pos];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(tokens[b], 0, flat, b * pos, pos);
        }
        return gather(wE, "W_E", flat).reshape(batch, pos, -1);
    }

    /**
     * Rows {@code ids} of table; a table read from its checkpoint's mapping whose file was truncated since (the JVM's
     * InternalError for SIGBUS) is an {@link IllegalStateException} naming the file.
     */
    private static Tensor gather(Tensor table, String name, int[] ids) {
        try {
            return table.indexSelect(0, ids);
        } catch (InternalError e) {
            Storage s = table.storage() instanceof RowShiftedStorage shifted ? shifted.base() : table.storage();
            String file = s instanceof SegmentStorage segment && segment.region() != null
                    ? segment.region().file().toString() : "the checkpoint";
            throw new IllegalStateException(file + " changed after the model was loaded from it: the model reads "
                    + name + "'s rows from that file (" + e.getMessage() + "); load the model again from a complete "
                    + "file", e);
        }
    }

    /** W_pos rows for positions offset..offset+pos-1 of each row, or mask-relative positions with pads at 0. */
    public Tensor positions(int batch, int pos, int offset, int[][] attentionMask) {
        int[] flat = new int[batch * pos];
        for (int b = 0; b < batch; b++) {
            int realSoFar = 0; // position id = (number of real tokens up to and including p) - 1, at least 0
            for (int p = 0; p < offset + pos; p++) {
                realSoFar += attentionMask == null || attentionMask[b][p] != 0 ? 1 : 0;
                if (p >= offset) {
                    flat[b * pos + p - offset] = Math.max(0, realSoFar - 1);
                }
            }
        }
        Tensor out = gather(wPos, "W_pos", flat).reshape(batch, pos, -1);
        if (attentionMask != null) {
            for (int b = 0; b < batch; b++) {
                for (int p = 0; p < pos; p++) {
                    if (attentionMask[b][offset + p] == 0) {
                        out.select(0, b).select(0, p).fill(0f);
                    }
                }
            }
        }
        return out;
    }
}
