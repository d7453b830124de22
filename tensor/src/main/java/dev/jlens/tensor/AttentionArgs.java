// Argument checks of the attention and layer-norm-half ops (Tensor.causalAttention, attentionScores, ...).
package dev.jlens.tensor;

/**
 * Shape rules, one clear message each: q [B, Pq, H, E], k and v [B, Pk, H, E] with Pq &lt;= Pk, keyMask [B, Pk],
 * pattern [B, H, Pq, Pk], a layer-norm scale [..., 1] beside its input [..., D].
 */
final class AttentionArgs {
    private AttentionArgs() {}

    /** q against k (and v, when non-null) and keyMask (when non-null). */
    static void check(String op, Tensor q, Tensor k, Tensor v, Tensor keyMask) {
        rank4(op, "q [batch, query_pos, head_index, d_head]", q);
        rank4(op, "k [batch, key_pos, head_index, d_head]", k);
        if (k.size(0) != q.size(0) || k.size(2) != q.size(2) || k.size(3) != q.size(3)) {
            throw new IllegalArgumentException(op + ": k " + Shape.str(k.shape()) + " does not match q "
                    + Shape.str(q.shape()) + " in batch, head_index or d_head");
        }
        if (q.size(1) > k.size(1)) {
            throw new IllegalArgumentException(op + ": " + q.size(1) + " queries but only " + k.size(1)
                    + " keys; queries are the last query_pos of the key positions (q " + Shape.str(q.shape())
                    + ", k " + Shape.str(k.shape()) + ")");
        }
        if (v != null && !java.util.Arrays.equals(v.shape(), k.shape())) {
            throw new IllegalArgumentException(op + ": v " + Shape.str(v.shape()) + " must have k's shape "
                    + Shape.str(k.shape()));
        }
        if (keyMask != null && (keyMask.rank() != 2 || keyMask.size(0) != k.size(0) || keyMask.size(1) != k.size(1))) {
            throw new IllegalArgumentException(op + ": keyMask " + Shape.str(keyMask.shape()) + " must be [batch, "
                    + "key_pos] = [" + k.size(0) + ", " + k.size(1) + "]");
        }
    }

    /** pattern [B, H, Pq, Pk] against v [B, Pk, H, E]. */
    static void checkMix(Tensor pattern, Tensor v) {
        rank4("attentionMix", "pattern [batch, head_index, query_pos, key_pos]", pattern);
        rank4("attentionMix", "v [batch, key_pos, head_index, d_head]", v);
        if (pattern.size(0) != v.size(0) || pattern.size(1) != v.size(2) || pattern.size(3) != v.size(1)) {
            throw new IllegalArgumentException("attentionMix: pattern " + Shape.str(pattern.shape())
                    + " [batch, head_index, query_pos, key_pos] does not match v " + Shape.str(v.shape())
                    + " [batch, key_pos, head_index, d_head] in batch, head_index or key_pos");
        }
    }

    /** scale [..., 1] beside x [..., D]. */
    static void checkScale(Tensor x, Tensor scale) {
        int[] want = x.shape();
        if (want.length == 0) {
            throw new IllegalArgumentException("layerNormNormalize: needs at least one dim, got a scalar");
        }
        want[want.length - 1] = 1;
        if (!java.util.Arrays.equals(want, scale.shape())) {
            throw new IllegalArgumentException("layerNormNormalize: scale " + Shape.str(scale.shape()) + " must be "
                    + Shape.str(want) + " for the input " + Shape.str(x.shape()));
        }
    }

    private static void rank4(String op, String what, Tensor t) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank 4, got " + Shape.str(t.shape()));
        }
    }
}
