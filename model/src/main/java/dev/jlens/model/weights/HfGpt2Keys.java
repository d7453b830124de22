// The Hugging Face GPT-2 -> TransformerLens key map: one table of keys, the Conv1D layouts, every shape checked.
//
// Mirrors TL pretrained/weight_conversions/gpt2.py (convert_gpt2_weights). HF GPT-2 uses Conv1D, y = x W + b with W
// stored [in, out], which is already TL's orientation, so nothing is transposed except the unembedding:
//
//   HF key (optional "transformer." prefix)   HF shape    TL key                  TL shape   rearrangement
//   wte.weight                                [V, D]      embed.W_E               [V, D]     as is
//   wpe.weight                                [n_ctx, D]  pos_embed.W_pos         [n_ctx, D] as is
//   h.L.ln_1.weight / .bias                   [D]         blocks.L.ln1.w / .b     [D]        as is
//   h.L.attn.c_attn.weight                    [D, 3D]     blocks.L.attn.W_Q/K/V   [H, D, E]  columns [i D, (i+1) D):
//                                                         "d_model (n_heads d_head) -> n_heads d_model d_head"
//   h.L.attn.c_attn.bias                      [3D]        blocks.L.attn.b_Q/K/V   [H, E]     "(n_heads d_head)"
//   h.L.attn.c_proj.weight                    [D, D]      blocks.L.attn.W_O       [H, E, D]  "(n_heads d_head) d_model"
//   h.L.attn.c_proj.bias                      [D]         blocks.L.attn.b_O       [D]        as is
//   h.L.ln_2.weight / .bias                   [D]         blocks.L.ln2.w / .b     [D]        as is
//   h.L.mlp.c_fc.weight / .bias               [D, M] [M]  blocks.L.mlp.W_in/b_in  [D, M] [M] as is
//   h.L.mlp.c_proj.weight / .bias             [M, D] [D]  blocks.L.mlp.W_out/b_out [M, D] [D] as is
//   ln_f.weight / .bias                       [D]         ln_final.w / .b         [D]        as is
//   lm_head.weight (else wte.weight, tied)    [V, D]      unembed.W_U             [D, V]     transposed
//   (none)                                                unembed.b_U             [V]        zeros
//   h.L.attn.bias, h.L.attn.masked_bias       buffers (causal mask), ignored
//
// W_Q[h, d, e] = c_attn.weight[d, 0 * D + h * E + e]; W_K uses column offset D, W_V 2 D.
// W_O[h, e, d] = c_proj.weight[h * E + e, d].
// All outputs are views of the input tensors (no copies), so memory-mapped F16/BF16 weights stay mapped.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Renames and rearranges a Hugging Face GPT-2 state dict into TransformerLens keys and layouts. */
public final class HfGpt2Keys {
    private static final String PREFIX = "transformer.";
    private static final Pattern IGNORED = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");
    private static final String[] QKV = {"Q", "K", "V"};

    private HfGpt2Keys() {}

    /**
     * The TL-keyed state dict of a Hugging Face GPT-2 checkpoint (TL convert_gpt2_weights). Keys may carry the
     * {@code transformer.} prefix of GPT2LMHeadModel; {@code lm_head.weight} is used when present, else the tied
     * {@code wte.weight}; the causal-mask buffers {@code h.L.attn.bias} and {@code masked_bias} are ignored.
     * The returned tensors are views of {@code hf}'s (nothing is copied or mutated).
     *
     * @param hf     tensors by HF name, e.g. from a safetensors file
     * @param cfg    the model shape the checkpoint must have (LayerNorm, with MLPs)
     * @param source where {@code hf} came from (a path), named in errors and in the result
     * @throws IllegalArgumentException naming every missing key, every unknown key, or the first misshapen key
     *                                  with its shape and the expected one
     */
    public static StateDict toTransformerLens(Map<String, Tensor> hf, Gpt2Config cfg, String source) {
        if (cfg.attnOnly() || cfg.normalizationType() != NormalizationType.LN) {
            throw new IllegalArgumentException(source + ": a Hugging Face GPT-2 checkpoint has LayerNorms and MLPs,"
                    + " but config " + cfg.modelName() + " has attnOnly=" + cfg.attnOnly() + ", normalization "
                    + cfg.normalizationType());
        }
        Reader in = new Reader(strip(hf, source), source);
        int d = cfg.dModel();
        Map<String, Tensor> tl = new LinkedHashMap<>();
        Tensor wte = in.take("wte.weight", cfg.dVocab(), d);
        tl.put("embed.W_E", wte);
        tl.put("pos_embed.W_pos", in.take("wpe.weight", cfg.nCtx(), d));
        for (int l = 0; l < cfg.nLayers(); l++) {
            block(in, tl, cfg, l);
        }
        tl.put("ln_final.w", in.take("ln_f.weight", d));
        tl.put("ln_final.b", in.take("ln_f.bias", d));
        Tensor lmHead = in.has("lm_head.weight") ? in.take("lm_head.weight", cfg.dVocab(), d) : wte;
        tl.put("unembed.W_U", lmHead.transpose(0, 1));
        tl.put("unembed.b_U", Tensor.zeros(cfg.dVocab()));
        in.finish();
        return new StateDict(tl, source);
    }

    /** Block L: LayerNorms as is, c_attn split into Q/K/V per head, c_proj per head, the MLP as is. */
    private static void block(Reader in, Map<String, Tensor> tl, Gpt2Config cfg, int l) {
        int d = cfg.dModel();
        int h = cfg.nHeads();
        int e = cfg.dHead();
        int width = h * e;
        String hf = "h." + l + ".";
        String p = "blocks." + l + ".";
        tl.put(p + "ln1.w", in.take(hf + "ln_1.weight", d));
        tl.put(p + "ln1.b", in.take(hf + "ln_1.bias", d));
        Tensor cAttn = in.take(hf + "attn.c_attn.weight", d, 3 * width);  // [D, 3 H E], Conv1D [in, out]
        Tensor cAttnBias = in.take(hf + "attn.c_attn.bias", 3 * width);   // [3 H E]
        for (int i = 0; i < 3; i++) {
            // "d_model (n_heads d_head) -> n_heads d_model d_head"
            tl.put(p + "attn.W_" + QKV[i], cAttn.narrow(1, i * width, width).reshape(d, h, e).permute(1, 0, 2));
            tl.put(p + "attn.b_" + QKV[i], cAttnBias.narrow(0, i * width, width).reshape(h, e));
        }
        // "(n_heads d_head) d_model -> n_heads d_head d_model"
        tl.put(p + "attn.W_O", in.take(hf + "attn.c_proj.weight", width, d).reshape(h, e, d));
        tl.put(p + "attn.b_O", in.take(hf + "attn.c_proj.bias", d));
        tl.put(p + "ln2.w", in.take(hf + "ln_2.weight", d));
        tl.put(p + "ln2.b", in.take(hf + "ln_2.bias", d));
        tl.put(p + "mlp.W_in", in.take(hf + "mlp.c_fc.weight", d, cfg.dMlp()));
        tl.put(p + "mlp.b_in", in.take(hf + "mlp.c_fc.bias", cfg.dMlp()));
        tl.put(p + "mlp.W_out", in.take(hf + "mlp.c_proj.weight", cfg.dMlp(), d));
        tl.put(p + "mlp.b_out", in.take(hf + "mlp.c_proj.bias", d));
    }

    /**
     * The tensors of {@code hf} under their stored names, in order, less the causal-mask buffers ({@code h.L.attn.bias}
     * and {@code masked_bias}, with or without the {@code transformer.} prefix) that a GPT-2 checkpoint carries beside
     * its weights and that the model does not use.
     */
    public static Map<String, Tensor> withoutBuffers(Map<String, Tensor> hf) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        hf.forEach((name, t) -> {
            if (!IGNORED.matcher(unprefixed(name)).matches()) {
                out.put(name, t);
            }
        });
        return out;
    }

    private static String unprefixed(String key) {
        return key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    }

    /** hf without the "transformer." prefix and without the mask buffers; a name present both ways is an error. */
    private static Map<String, Tensor> strip(Map<String, Tensor> hf, String source) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : withoutBuffers(hf).entrySet()) {
            String key = unprefixed(entry.getKey());
            if (out.put(key, entry.getValue()) != null) {
                throw new IllegalArgumentException(source + ": key '" + key + "' appears both with and without the '"
                        + PREFIX + "' prefix");
            }
        }
        return out;
    }

    /** Takes keys out of the HF map, checking shapes and collecting missing names; leftovers are unknown. */
    private static final class Reader {
        private final Map<String, Tensor> left;
        private final String source;
        private final List<String> missing = new ArrayList<>();

        Reader(Map<String, Tensor> hf, String source) {
            this.left = hf;
            this.source = source;
        }

        boolean has(String key) {
            return left.containsKey(key);
        }

        /** The tensor under {@code key} with exactly {@code shape}; a missing key is noted and gives a zero view. */
        Tensor take(String key, int... shape) {
            Tensor t = left.remove(key);
            if (t == null) {
                missing.add(key);
                return Tensor.scalar(0f).expand(shape);
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(source + ": Hugging Face weight '" + key + "' has shape "
                        + Shape.str(t.shape()) + " but the config needs " + Shape.str(shape));
            }
            return t;
        }

        /** Throws naming every missing and every unknown key. */
        void finish() {
            if (!missing.isEmpty() || !left.isEmpty()) {
                throw new IllegalArgumentException(source + ": not a GPT-2 checkpoint of this config;"
                        + (missing.isEmpty() ? "" : " missing keys " + missing)
                        + (left.isEmpty() ? "" : " unknown keys " + new TreeSet<>(left.keySet())));
            }
        }
    }
}
