// TL's head_detector.detect_head: how well each head's attention pattern matches a detection pattern.
// Mirrors transformer_lens/head_detector.py (detect_head, compute_head_attention_similarity_score).
package dev.jlens.model.analysis;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.ReturnType;
import dev.jlens.model.RunOptions;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Collection;
import java.util.List;

/**
 * TransformerLens' {@code detect_head(model, seq, detection_pattern, heads, cache, exclude_bos,
 * exclude_current_token, error_measure)}: a score per head [n_layers, n_heads] comparing each head's pattern
 * A [q_pos, k_pos] (batch row 0 of {@code blocks.L.attn.hook_pattern}) with a lower-triangular detection pattern
 * D [pos, pos] built from the tokens ({@link DetectionPattern}). Heads not asked for score -1.
 * <ul>
 *   <li>"mul": score = sum(A * D) / sum(A), the share of attention on the detected query-key pairs;</li>
 *   <li>"abs": score = 1 - round(sum|A - D| / pos, 3), in (-1, 1], 1 for a perfect match.</li>
 * </ul>
 * exclude_bos zeroes key column 0 and exclude_current_token the diagonal, of A ("mul") or of |A - D| ("abs").
 * "mul" is meant for 0/1 detection patterns (TL warns on other values; here they are simply used as weights).
 * Unlike TL, the cached pattern is never modified, and a batch of sequences keeps every option (TL's list form
 * drops them).
 */
public final class HeadDetector {
    /** TL's error_measure. */
    public enum ErrorMeasure {
        /** "mul": sum(A * D) / sum(A), the share of attention on the detection pattern's entries. */
        MUL,
        /** "abs": 1 - sum |A - D| / pos, rounded as TL rounds it; the pattern must be lower-triangular. */
        ABS
    }

    /**
     * TL's keyword arguments of detect_head.
     *
     * @param excludeBos          ignore attention to key position 0
     * @param excludeCurrentToken ignore attention of each query to itself
     * @param errorMeasure        "mul" (default) or "abs"
     */
    public record Options(boolean excludeBos, boolean excludeCurrentToken, ErrorMeasure errorMeasure) {
        /** TL's defaults: no exclusions, "mul". */
        public static Options defaults() {
            return new Options(false, false, ErrorMeasure.MUL);
        }

        /** The same options with {@code measure}. */
        public Options measuring(ErrorMeasure measure) {
            return new Options(excludeBos, excludeCurrentToken, measure);
        }
    }

    private HeadDetector() {}

    /** detect_head(model, text, name): the text is tokenized with BOS, as TL's to_tokens does. */
    public static Tensor detect(HookedGpt2 model, String text, DetectionPattern name, Options options) {
        return detect(model, model.toTokens(text)[0], name, options);
    }

    /** detect_head on one token sequence [pos] with a named pattern built from those tokens. */
    public static Tensor detect(HookedGpt2 model, int[] tokens, DetectionPattern name, Options options) {
        return detect(model, tokens, name.build(tokens), options);
    }

    /** detect_head on one token sequence [pos] with a custom lower-triangular detection pattern [pos, pos]. */
    public static Tensor detect(HookedGpt2 model, int[] tokens, Tensor detection, Options options) {
        return detect(patterns(model, new int[][] {tokens}), 0, detection, null, options);
    }

    /**
     * TL's detect_head on a list of sequences: the mean over rows of each row's scores, each row with its own
     * named pattern. Rows must have equal length (they run as one batch).
     */
    public static Tensor detect(HookedGpt2 model, int[][] batch, DetectionPattern name, Options options) {
        return detect(patterns(model, batch), batch, name, options);
    }

    /**
     * TL's detect_head on a list of texts of any lengths: each tokenized with BOS and run alone (as TL does), the
     * mean over texts of their scores.
     */
    public static Tensor detect(HookedGpt2 model, List<String> texts, DetectionPattern name, Options options) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("detect_head needs at least one text");
        }
        Tensor sum = null;
        for (String text : texts) {
            Tensor scores = detect(model, text, name, options);
            sum = sum == null ? scores : sum.add(scores);
        }
        return sum.scale(1f / texts.size()); // mean over sequences
    }

    /** As {@link #detect(HookedGpt2, int[][], DetectionPattern, Options)} on patterns cached from {@code batch}. */
    public static Tensor detect(ActivationCache cache, int[][] batch, DetectionPattern name, Options options) {
        Tensor sum = null;
        for (int row = 0; row < batch.length; row++) {
            Tensor scores = detect(cache, row, name.build(batch[row]), null, options);
            sum = sum == null ? scores : sum.add(scores);
        }
        return sum.scale(1f / batch.length); // mean over sequences
    }

    /** The attention patterns [batch, head, q_pos, k_pos] of every layer on {@code batch}, for the detectors. */
    public static ActivationCache patterns(HookedGpt2 model, int[][] batch) {
        for (int[] row : batch) {
            if (row.length <= 1 || row.length >= model.cfg().nCtx() || row.length != batch[0].length) {
                throw new IllegalArgumentException("detect_head: each sequence must have the same length, more than"
                        + " 1 and fewer than n_ctx (" + model.cfg().nCtx() + ") tokens; got " + batch[0].length
                        + " and " + row.length);
            }
        }
        return model.runWithCache(batch, NameFilter.endsWith("hook_pattern"), false,
                RunOptions.defaults().returning(ReturnType.NONE)).cache();
    }

    /**
     * detect_head with a cache: scores of the heads in {@code heads} (null: every head; others score -1) for batch
     * row {@code row} of the cached patterns [batch, head, q_pos, k_pos] (row ignored when the cache has no batch
     * dim). The cache is read, never written.
     */
    public static Tensor detect(ActivationCache cache, int row, Tensor detection, Collection<LayerHead> heads,
            Options options) {
        Tensor first = rowOf(cache.get("pattern", 0), cache.hasBatchDim(), row);
        int nHeads = first.size(0);
        int pos = first.size(1);
        checkDetection(detection, pos);
        float[] d = detection.contiguous().toArray();
        Tensor scores = Tensor.full(-1f, cache.nLayers(), nHeads);
        for (int l = 0; l < cache.nLayers(); l++) {
            Tensor layer = rowOf(cache.get("pattern", l), cache.hasBatchDim(), row); // [head, q_pos, k_pos]
            for (int h = 0; h < nHeads; h++) {
                if (heads == null || heads.contains(new LayerHead(l, h))) {
                    float[] a = layer.select(0, h).contiguous().toArray();
                    scores.set((float) similarity(a, d, pos, options), l, h);
                }
            }
        }
        return scores;
    }

    /**
     * TL's compute_head_attention_similarity_score of one head's pattern [pos, pos] against a detection pattern
     * [pos, pos]; neither is modified.
     */
    public static double similarity(Tensor attention, Tensor detection, Options options) {
        int pos = attention.size(0);
        if (attention.rank() != 2 || attention.size(1) != pos) {
            throw new IllegalArgumentException("attention pattern is not square: " + Shape.str(attention.shape()));
        }
        checkDetection(detection, pos);
        return similarity(attention.contiguous().toArray(), detection.contiguous().toArray(), pos, options);
    }

    private static double similarity(float[] a, float[] d, int pos, Options o) {
        double num = 0;
        double den = 0;
        for (int q = 0; q < pos; q++) {
            for (int k = 0; k < pos; k++) {
                boolean excluded = (o.excludeBos() && k == 0) || (o.excludeCurrentToken() && k == q);
                double attn = a[q * pos + k];
                double target = d[q * pos + k];
                if (o.errorMeasure() == ErrorMeasure.MUL) {
                    num += excluded ? 0 : attn * target; // sum(A * D) with excluded entries of A zeroed
                    den += excluded ? 0 : attn;          // sum(A)
                } else {
                    if (k > q && attn != target) {
                        throw new IllegalArgumentException("the attention pattern is not lower-triangular at (" + q
                                + ", " + k + "): " + attn);
                    }
                    num += excluded ? 0 : Math.abs(attn - target); // sum |A - D|
                }
            }
        }
        return o.errorMeasure() == ErrorMeasure.MUL ? num / den : 1 - Math.round(num / pos * 1000) / 1000.0;
    }

    private static void checkDetection(Tensor detection, int pos) {
        if (detection.rank() != 2 || detection.size(0) != pos || detection.size(1) != pos) {
            throw new IllegalArgumentException("the detection pattern must be [" + pos + ", " + pos + "] to match the"
                    + " attention patterns, got " + Shape.str(detection.shape()));
        }
        float[] d = detection.contiguous().toArray();
        for (int q = 0; q < pos; q++) {
            for (int k = q + 1; k < pos; k++) {
                if (d[q * pos + k] != 0) {
                    throw new IllegalArgumentException("the detection pattern must be lower-triangular; entry (" + q
                            + ", " + k + ") is " + d[q * pos + k]);
                }
            }
        }
    }

    private static Tensor rowOf(Tensor pattern, boolean hasBatchDim, int row) {
        if (!hasBatchDim) {
            return pattern;
        }
        if (row < 0 || row >= pattern.size(0)) {
            throw new IllegalArgumentException("batch row " + row + " is out of range for cached patterns "
                    + Shape.str(pattern.shape()));
        }
        return pattern.select(0, row);
    }
}
