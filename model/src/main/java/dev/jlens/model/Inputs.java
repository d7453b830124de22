// Validation of a forward pass's inputs: token ids, lengths, the attention mask and start/stop layers.
package dev.jlens.model;

import dev.jlens.model.components.BlockSuffix;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;

/** Checks what a caller passes to {@link HookedGpt2#forward} and names the first problem found. */
final class Inputs {
    private Inputs() {}

    /** Validates tokens, mask and start residual; returns the mask as a [batch, pos] tensor, or null. */
    static Tensor check(Gpt2Config cfg, int[][] tokens, RunOptions o) {
        int start = o.startAtLayer();
        if (start < 0 || start >= cfg.nLayers()) {
            throw new IllegalArgumentException("start_at_layer " + start + " is out of range for " + cfg.nLayers()
                    + " layers");
        }
        boolean needTokens = start == 0 || o.returnType().wantsLoss();
        if (needTokens) {
            checkTokens(cfg, tokens);
        }
        if (start > 0) {
            Tensor r = o.startResidual();
            if (r == null || r.rank() != 3 || r.size(2) != cfg.dModel()
                    || (tokens != null && (r.size(0) != tokens.length || r.size(1) != tokens[0].length))) {
                throw new IllegalArgumentException("start_at_layer " + start + " needs the residual stream "
                        + "[batch, pos, " + cfg.dModel() + "]" + (tokens == null ? "" : " matching the tokens "
                        + Shape.str(tokens.length, tokens[0].length)) + ", got "
                        + (r == null ? "none" : Shape.str(r.shape())));
            }
        }
        int[][] mask = o.attentionMask();
        if (mask == null) {
            return null;
        }
        int batch = needTokens ? tokens.length : o.startResidual().size(0);
        int pos = needTokens ? tokens[0].length : o.startResidual().size(1);
        checkMask(mask, batch, pos);
        return maskTensor(mask);
    }

    /** Validates new tokens [batch][n] and their mask for a forward that continues {@code cache}. */
    static void checkCached(Gpt2Config cfg, int[][] tokens, int[][] newMask, KvCache cache) {
        checkTokens(cfg, tokens);
        if (tokens.length != cache.batch()) {
            throw new IllegalArgumentException(tokens.length + " rows of tokens for a KV cache of batch "
                    + cache.batch());
        }
        if (cache.length() + tokens[0].length > cfg.nCtx()) {
            throw new IllegalArgumentException(tokens[0].length + " new tokens after the " + cache.length()
                    + " cached make " + (cache.length() + tokens[0].length) + " positions, more than n_ctx "
                    + cfg.nCtx() + " of " + cfg.modelName());
        }
        if (newMask != null) {
            checkMask(newMask, tokens.length, tokens[0].length);
        }
        cache.checkConsistent();
    }

    private static void checkMask(int[][] mask, int batch, int pos) {
        if (mask.length != batch) {
            throw new IllegalArgumentException("attention mask has " + mask.length + " rows for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (mask[b].length != pos) {
                throw new IllegalArgumentException("attention mask row " + b + " has " + mask[b].length
                        + " entries for " + pos + " positions");
            }
        }
    }

    /** A mask [batch][pos] as a [batch, pos] tensor of 1 (real) and 0 (pad). */
    static Tensor maskTensor(int[][] mask) {
        int batch = mask.length;
        int pos = mask[0].length;
        float[] flat = new float[batch * pos];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < pos; p++) {
                flat[b * pos + p] = mask[b][p] != 0 ? 1f : 0f;
            }
        }
        return Tensor.of(flat, batch, pos);
    }

    /** Validates a resumed block: layer in range, resid [b, s, d_model], past k and v [b, p0, h, e], outputs. */
    static void checkSuffix(Gpt2Config cfg, int layer, Tensor resid, BlockSuffix suffix) {
        checkBlockInput(cfg, layer, resid);
        if (suffix.outputs() < 1 || suffix.outputs() > resid.size(1)) {
            throw new IllegalArgumentException("a block over " + resid.size(1) + " positions cannot output "
                    + suffix.outputs());
        }
        Tensor k = suffix.pastK();
        Tensor v = suffix.pastV();
        if ((k == null) != (v == null)) {
            throw new IllegalArgumentException("pass both past keys and past values, or neither");
        }
        int[] want = {resid.size(0), suffix.cached(), cfg.nHeads(), cfg.dHead()};
        if (k != null && (!Arrays.equals(k.shape(), want) || !Arrays.equals(v.shape(), want)
                || k.size(1) + resid.size(1) > cfg.nCtx())) {
            throw new IllegalArgumentException("past keys " + Shape.str(k.shape()) + " and values "
                    + Shape.str(v.shape()) + " must both be [batch, p0, n_heads, d_head] = " + Shape.str(want)
                    + " with p0 + " + resid.size(1) + " <= n_ctx " + cfg.nCtx());
        }
    }

    /** Checks a resumed block's mask: [batch][p0 + new positions], or null. */
    static void checkSuffixMask(Tensor resid, BlockSuffix suffix, int[][] mask) {
        if (mask != null) {
            checkMask(mask, resid.size(0), suffix.cached() + resid.size(1));
        }
    }

    /** Checks blockForwardFromZ's inputs: resid [batch, n, d_model] and z [batch, n, n_heads, d_head]. */
    static void checkFromZ(Gpt2Config cfg, int layer, Tensor resid, Tensor z) {
        checkBlockInput(cfg, layer, resid);
        int[] want = {resid.size(0), resid.size(1), cfg.nHeads(), cfg.dHead()};
        if (!Arrays.equals(z.shape(), want)) {
            throw new IllegalArgumentException("z must be [batch, pos, n_heads, d_head] = " + Shape.str(want)
                    + " to match resid_pre " + Shape.str(resid.shape()) + ", got " + Shape.str(z.shape()));
        }
    }

    private static void checkBlockInput(Gpt2Config cfg, int layer, Tensor resid) {
        if (layer < 0 || layer >= cfg.nLayers()) {
            throw new IllegalArgumentException("layer " + layer + " is out of range for " + cfg.nLayers() + " layers");
        }
        if (resid.rank() != 3 || resid.size(2) != cfg.dModel()) {
            throw new IllegalArgumentException("block input must be [batch, pos, " + cfg.dModel() + "], got "
                    + Shape.str(resid.shape()));
        }
    }

    private static void checkTokens(Gpt2Config cfg, int[][] tokens) {
        if (tokens == null || tokens.length == 0 || tokens[0].length == 0) {
            throw new IllegalArgumentException("tokens must be a non-empty [batch][pos] array, got "
                    + (tokens == null ? "null" : tokens.length + " rows" + (tokens.length > 0 ? " of 0" : "")));
        }
        int pos = tokens[0].length;
        if (pos > cfg.nCtx()) {
            throw new IllegalArgumentException("sequence of " + pos + " tokens is longer than n_ctx " + cfg.nCtx()
                    + " of " + cfg.modelName());
        }
        for (int b = 0; b < tokens.length; b++) {
            if (tokens[b].length != pos) {
                throw new IllegalArgumentException("token row " + b + " has " + tokens[b].length + " tokens but row 0"
                        + " has " + pos + "; pad the batch and pass an attention mask");
            }
            for (int p = 0; p < pos; p++) {
                int id = tokens[b][p];
                if (id < 0 || id >= cfg.dVocab()) {
                    throw new IllegalArgumentException("token id " + id + " at [" + b + ", " + p + "] is out of range"
                            + " for vocab size " + cfg.dVocab() + " of " + cfg.modelName());
                }
            }
        }
    }
}
