// The TransformerLens state-dict keys a config needs: a TL-named checkpoint is checked against them before loading.
//
// Mirrors the parameters of TL's HookedTransformer (embed.W_E, pos_embed.W_pos, blocks.L.{ln1,ln2}.{w,b},
// blocks.L.attn.{W,b}_{Q,K,V,O}, blocks.L.mlp.{W,b}_{in,out}, ln_final.{w,b}, unembed.{W,b}_U) and its buffers
// blocks.L.attn.mask and blocks.L.attn.IGNORE, which are recomputed, not read.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks a TransformerLens-named state dict: every key the config needs present, no key it would ignore. */
public final class TlKeys {
    private static final Pattern BUFFERS = Pattern.compile("blocks\\.\\d+\\.attn\\.(mask|IGNORE)");

    private TlKeys() {}

    /** True when {@code keys} are in TL naming (they hold embed.W_E). */
    public static boolean isTransformerLens(Iterable<String> keys) {
        for (String k : keys) {
            if (k.equals("embed.W_E")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The state dict of {@code tensors} (TL keys, shapes checked later by the assembly) without TL's mask buffers.
     *
     * @throws IllegalArgumentException naming every missing key and every key the config would leave unused
     */
    public static StateDict stateDict(Map<String, Tensor> tensors, Gpt2Config cfg, String source) {
        List<String> needed = needed(cfg);
        Map<String, Tensor> kept = new LinkedHashMap<>();
        TreeSet<String> unused = new TreeSet<>();
        tensors.forEach((key, t) -> {
            if (needed.contains(key)) {
                kept.put(key, t);
            } else if (!BUFFERS.matcher(key).matches()) {
                unused.add(key);
            }
        });
        List<String> missing = needed.stream().filter(k -> !kept.containsKey(k)).toList();
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new IllegalArgumentException(source + ": not a TransformerLens state dict of this config ("
                    + cfg.modelName() + ", attn_only=" + cfg.attnOnly() + ", normalization " + cfg.normalizationType()
                    + ");" + (missing.isEmpty() ? "" : " missing keys " + missing)
                    + (unused.isEmpty() ? "" : " keys the config does not use " + unused));
        }
        return new StateDict(kept, source);
    }

    /** The keys a model of {@code cfg} reads, in TL's order. */
    static List<String> needed(Gpt2Config cfg) {
        List<String> keys = new ArrayList<>(List.of("embed.W_E", "pos_embed.W_pos"));
        boolean ln = cfg.normalizationType() == NormalizationType.LN;
        for (int l = 0; l < cfg.nLayers(); l++) {
            String p = "blocks." + l + ".";
            if (ln) {
                keys.addAll(List.of(p + "ln1.w", p + "ln1.b"));
            }
            for (String w : new String[] {"Q", "K", "V", "O"}) {
                keys.addAll(List.of(p + "attn.W_" + w, p + "attn.b_" + w));
            }
            if (!cfg.attnOnly()) {
                if (ln) {
                    keys.addAll(List.of(p + "ln2.w", p + "ln2.b"));
                }
                keys.addAll(List.of(p + "mlp.W_in", p + "mlp.b_in", p + "mlp.W_out", p + "mlp.b_out"));
            }
        }
        if (ln) {
            keys.addAll(List.of("ln_final.w", "ln_final.b"));
        }
        keys.addAll(List.of("unembed.W_U", "unembed.b_U"));
        return keys;
    }
}
