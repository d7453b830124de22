// Weights by TransformerLens state-dict key ("blocks.0.attn.W_Q"), shape-checked when a component takes them.
package dev.jlens.model.weights;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A model's parameters keyed by TransformerLens names: {@code embed.W_E} [d_vocab, d_model],
 * {@code pos_embed.W_pos} [n_ctx, d_model], {@code blocks.L.ln1.w} [d_model], {@code blocks.L.attn.W_Q}
 * [n_heads, d_model, d_head], {@code b_Q} [n_heads, d_head], {@code W_O} [n_heads, d_head, d_model],
 * {@code b_O} [d_model], {@code blocks.L.mlp.W_in} [d_model, d_mlp], {@code W_out} [d_mlp, d_model],
 * {@code ln_final.w}, {@code unembed.W_U} [d_model, d_vocab], {@code b_U} [d_vocab]. {@link #source} names where
 * the tensors came from, for error messages.
 */
public final class StateDict {
    private final Map<String, Tensor> tensors;
    private final String source;

    /** Wraps {@code tensors} (copied) loaded from {@code source} (a path, or "built-in induction-2l"). */
    public StateDict(Map<String, Tensor> tensors, String source) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.source = source;
    }

    /** Where the weights came from. */
    public String source() {
        return source;
    }

    /** The tensor under {@code key}, which must have exactly {@code shape}. */
    public Tensor require(String key, int... shape) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException(source + ": missing weight '" + key + "' " + Shape.str(shape));
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(source + ": weight '" + key + "' has shape " + Shape.str(t.shape())
                    + " but the config needs " + Shape.str(shape));
        }
        return t;
    }

    /** The tensor under {@code key}, or null. */
    public Tensor get(String key) {
        return tensors.get(key);
    }

    /** Sets {@code key} (weight processing rewrites tensors this way). */
    public void put(String key, Tensor value) {
        tensors.put(key, value);
    }

    /** Removes {@code key}, returning what it held. */
    public Tensor remove(String key) {
        return tensors.remove(key);
    }

    /** True when {@code key} is present. */
    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** A new state dict holding the same tensors (not copied) under {@code newSource}, for changes of its own. */
    public StateDict copy(String newSource) {
        return new StateDict(tensors, newSource);
    }

    /**
     * The entries whose key starts with one of {@code prefixes} (e.g. "blocks.3."), same tensors, in a new state
     * dict.
     */
    public StateDict subset(String... prefixes) {
        Map<String, Tensor> part = new LinkedHashMap<>();
        tensors.forEach((key, t) -> {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    part.put(key, t);
                    return;
                }
            }
        });
        return new StateDict(part, source);
    }

    /** All keys in insertion order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(tensors.keySet());
    }
}
