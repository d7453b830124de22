// TL's ActivationCache: activations by full hook name, with get_act_name shorthands and negative layers.
package dev.jlens.hooks;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cached activations in firing order. Keys resolve as TransformerLens resolves them: an exact name, else
 * {@link ActNames#get}; {@code get("resid_post", -1)} counts layers from the end. Analysis methods that need the
 * model's weights (accumulated_resid, logit_attrs, ...) live beside the model, taking a cache.
 */
public final class ActivationCache {
    private final Map<String, Tensor> acts;
    private final int nLayers;
    private final boolean hasBatchDim;

    /**
     * A cache over {@code acts}.
     *
     * @param acts        activations by full hook name, in firing order (copied)
     * @param nLayers     the model's layer count, for negative layer indices
     * @param hasBatchDim whether every activation still has its leading batch dim
     */
    public ActivationCache(Map<String, Tensor> acts, int nLayers, boolean hasBatchDim) {
        this.acts = Collections.unmodifiableMap(new LinkedHashMap<>(acts));
        this.nLayers = nLayers;
        this.hasBatchDim = hasBatchDim;
    }

    /** The activation under {@code key}: a full name or a shorthand such as "embed", "k6", "scale". */
    public Tensor get(String key) {
        Tensor t = acts.get(key);
        return t != null ? t : lookup(key, ActNames.get(key));
    }

    /** The activation {@code name} of layer {@code layer} (negative counts from the end). */
    public Tensor get(String name, int layer) {
        return get(name, layer, null);
    }

    /** The activation {@code name} of layer {@code layer} in sublayer {@code layerType} ("attn", "ln1", ...). */
    public Tensor get(String name, int layer, String layerType) {
        int l = layer < 0 ? nLayers + layer : layer;
        if (l < 0 || l >= nLayers) {
            throw new IndexOutOfBoundsException("layer " + layer + " is out of range for a model of " + nLayers
                    + " layers");
        }
        return lookup(name + "/" + layer, ActNames.get(name, l, layerType));
    }

    private Tensor lookup(String asked, String fullName) {
        Tensor t = acts.get(fullName);
        if (t == null) {
            throw new IllegalArgumentException("the cache has no '" + asked + "' (resolved to " + fullName
                    + "); nearest cached: " + Suggest.nearest(fullName, acts.keySet(), 3)
                    + " — was it excluded by the names filter?");
        }
        return t;
    }

    /** Full names of the cached activations, in firing order. */
    public Set<String> keys() {
        return acts.keySet();
    }

    /** Number of cached activations. */
    public int size() {
        return acts.size();
    }

    /** True when {@code fullName} is cached. */
    public boolean contains(String fullName) {
        return acts.containsKey(fullName);
    }

    /** Whether activations keep their batch dim. */
    public boolean hasBatchDim() {
        return hasBatchDim;
    }

    /** The model's layer count. */
    public int nLayers() {
        return nLayers;
    }

    /** A cache without the batch dim; every activation must have batch size 1. */
    public ActivationCache removeBatchDim() {
        if (!hasBatchDim) {
            return this;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        acts.forEach((name, t) -> out.put(name, dropBatch(name, t)));
        return new ActivationCache(out, nLayers, false);
    }

    static Tensor dropBatch(String name, Tensor t) {
        if (t.rank() == 0 || t.size(0) != 1) {
            throw new IllegalArgumentException("remove_batch_dim needs a batch of 1, but " + name + " has shape "
                    + Shape.str(t.shape()));
        }
        return t.select(0, 0);
    }

    @Override
    public String toString() {
        return "ActivationCache(" + acts.size() + " activations: " + String.join(", ", acts.keySet()) + ")";
    }
}
