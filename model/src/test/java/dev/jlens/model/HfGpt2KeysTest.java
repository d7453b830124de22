// HF GPT-2 -> TL key map: round trip through a test-only inverse, index arithmetic, views, and named errors.
package dev.jlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.HfGpt2Keys;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HfGpt2KeysTest {
    private final Gpt2Config cfg = TinyModels.config();
    private final StateDict tl = TinyModels.weights(cfg);

    /** The inverse map, TL -> HF (GPT2LMHeadModel names with or without "transformer."), written independently. */
    private static Map<String, Tensor> toHf(Gpt2Config cfg, StateDict tl, String prefix, boolean lmHead) {
        int d = cfg.dModel();
        Map<String, Tensor> hf = new LinkedHashMap<>();
        hf.put(prefix + "wte.weight", tl.get("embed.W_E"));
        hf.put(prefix + "wpe.weight", tl.get("pos_embed.W_pos"));
        for (int l = 0; l < cfg.nLayers(); l++) {
            String h = prefix + "h." + l + ".";
            String p = "blocks." + l + ".";
            hf.put(h + "ln_1.weight", tl.get(p + "ln1.w"));
            hf.put(h + "ln_1.bias", tl.get(p + "ln1.b"));
            Tensor[] w = new Tensor[3];
            Tensor[] b = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                String m = "QKV".substring(i, i + 1);
                w[i] = tl.get(p + "attn.W_" + m).permute(1, 0, 2).contiguous().reshape(d, d); // [D, (H E)]
                b[i] = tl.get(p + "attn.b_" + m).reshape(d);
            }
            hf.put(h + "attn.c_attn.weight", Tensor.cat(1, w));
            hf.put(h + "attn.c_attn.bias", Tensor.cat(0, b));
            hf.put(h + "attn.c_proj.weight", tl.get(p + "attn.W_O").reshape(d, d));
            hf.put(h + "attn.c_proj.bias", tl.get(p + "attn.b_O"));
            hf.put(h + "attn.bias", Tensor.full(1f, 1, 1, cfg.nCtx(), cfg.nCtx())); // causal-mask buffer
            hf.put(h + "attn.masked_bias", Tensor.scalar(-1e4f));
            hf.put(h + "ln_2.weight", tl.get(p + "ln2.w"));
            hf.put(h + "ln_2.bias", tl.get(p + "ln2.b"));
            hf.put(h + "mlp.c_fc.weight", tl.get(p + "mlp.W_in"));
            hf.put(h + "mlp.c_fc.bias", tl.get(p + "mlp.b_in"));
            hf.put(h + "mlp.c_proj.weight", tl.get(p + "mlp.W_out"));
            hf.put(h + "mlp.c_proj.bias", tl.get(p + "mlp.b_out"));
        }
        hf.put(prefix + "ln_f.weight", tl.get("ln_final.w"));
        hf.put(prefix + "ln_f.bias", tl.get("ln_final.b"));
        if (lmHead) {
            hf.put("lm_head.weight", tl.get("unembed.W_U").transpose(0, 1).contiguous());
        }
        return hf;
    }

    @Test
    void withoutBuffersKeepsEveryWeightInOrderAndDropsOnlyTheMaskBuffers() { // what the load scans for NaN
        for (String prefix : new String[] {"", "transformer."}) {
            Map<String, Tensor> hf = toHf(cfg, tl, prefix, true);
            Map<String, Tensor> kept = HfGpt2Keys.withoutBuffers(hf);
            List<String> weights = hf.keySet().stream()
                    .filter(k -> !k.endsWith(".attn.bias") && !k.endsWith(".attn.masked_bias")).toList();
            assertEquals(weights, List.copyOf(kept.keySet()), prefix);
            assertEquals(hf.size() - 2 * cfg.nLayers(), kept.size(), prefix);
            kept.forEach((k, t) -> assertTrue(t == hf.get(k), k + " is the same tensor"));
        }
    }

    @Test
    void hfToTlInvertsTheTestInverseExactly() { // catches a wrong split, head order, transpose or key name
        for (String prefix : new String[] {"", "transformer."}) {
            StateDict back = HfGpt2Keys.toTransformerLens(toHf(cfg, tl, prefix, true), cfg, "round trip");
            assertEquals(tl.keys(), back.keys(), "same TL keys in the same order");
            for (String key : tl.keys()) {
                Tensor want = key.equals("unembed.b_U") ? Tensor.zeros(cfg.dVocab()) : tl.get(key);
                assertEquals(0.0, want.maxAbsDiff(back.get(key)), prefix + key);
            }
        }
    }

    @Test
    void withoutLmHeadTheUnembeddingIsTiedToWte() { // catches W_U = W_E instead of W_E^T
        StateDict back = HfGpt2Keys.toTransformerLens(toHf(cfg, tl, "transformer.", false), cfg, "tied");
        assertEquals(0.0, back.get("unembed.W_U").maxAbsDiff(tl.get("embed.W_E").transpose(0, 1)));
    }

    @Test
    void oneRearrangedElementMatchesIndexArithmetic() { // catches (d_head n_heads) instead of (n_heads d_head)
        int d = cfg.dModel();
        int e = cfg.dHead();
        Map<String, Tensor> hf = toHf(cfg, tl, "", true);
        Tensor cAttn = Tensor.randn(5, d, 3 * d);
        Tensor cProj = Tensor.randn(6, d, d);
        hf.put("h.1.attn.c_attn.weight", cAttn);
        hf.put("h.1.attn.c_proj.weight", cProj);
        StateDict out = HfGpt2Keys.toTransformerLens(hf, cfg, "index check");
        int h = 2;
        int row = 5;
        int col = 3;
        // W_V[h, d, e] = c_attn.weight[d, 2 D + h E + e];  W_O[h, e, d] = c_proj.weight[h E + e, d]
        assertEquals(cAttn.get(row, 2 * d + h * e + col), out.get("blocks.1.attn.W_V").get(h, row, col));
        assertEquals(cAttn.get(row, h * e + col), out.get("blocks.1.attn.W_Q").get(h, row, col));
        assertEquals(cProj.get(h * e + col, row), out.get("blocks.1.attn.W_O").get(h, col, row));
    }

    @Test
    void f16MemorySegmentViewsMapAndRunWithoutCopies() { // catches a map that needs heap arrays or copies eagerly
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> hf = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> entry : toHf(cfg, tl, "", true).entrySet()) {
                hf.put(entry.getKey(), f16(arena, entry.getValue()));
            }
            StateDict mapped = HfGpt2Keys.toTransformerLens(hf, cfg, "f16 segments");
            Tensor wQ = mapped.get("blocks.0.attn.W_Q");
            assertTrue(wQ.storage() instanceof SegmentStorage, "W_Q stays a view of the mapped segment");
            float want = Float.float16ToFloat(Float.floatToFloat16(tl.get("blocks.0.attn.W_Q").get(1, 7, 3)));
            assertEquals(want, wQ.get(1, 7, 3));
            int[][] tokens = TinyModels.tokens(1, 6, cfg.dVocab(), 3);
            Tensor logits = Gpt2Assembly.fromStateDict(cfg, mapped).forward(tokens);
            double max = logits.maxAbsDiff(Gpt2Assembly.fromStateDict(cfg, tl).forward(tokens));
            assertTrue(max < 0.05, "f16-rounded weights give nearby logits, max diff " + max);
        }
    }

    private static Tensor f16(Arena arena, Tensor t) {
        float[] values = t.toArray();
        MemorySegment seg = arena.allocate(2L * Math.max(1, values.length));
        ValueLayout.OfShort half = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            seg.setAtIndex(half, i, Float.floatToFloat16(values[i]));
        }
        return Tensor.view(new SegmentStorage(seg, DType.F16), t.shape(), Shape.contiguousStrides(t.shape()), 0);
    }

    private String error(Map<String, Tensor> hf) {
        return assertThrows(IllegalArgumentException.class, () -> HfGpt2Keys.toTransformerLens(hf, cfg, "ckpt.st"))
                .getMessage();
    }

    @Test
    void missingUnknownAndMisshapenKeysAreNamed() { // catches silently dropped or ignored checkpoint keys
        Map<String, Tensor> hf = toHf(cfg, tl, "", true);
        hf.remove("h.1.mlp.c_fc.bias");
        hf.remove("ln_f.weight");
        hf.put("h.2.ln_1.weight", Tensor.zeros(cfg.dModel()));
        String msg = error(hf);
        assertTrue(msg.contains("ckpt.st") && msg.contains("h.1.mlp.c_fc.bias") && msg.contains("ln_f.weight")
                && msg.contains("unknown keys [h.2.ln_1.weight]"), msg);
        Map<String, Tensor> bad = toHf(cfg, tl, "", true);
        bad.put("h.0.attn.c_attn.weight", Tensor.zeros(3 * cfg.dModel(), cfg.dModel()));
        msg = error(bad);
        assertTrue(msg.contains("'h.0.attn.c_attn.weight'") && msg.contains("[96, 32]") && msg.contains("[32, 96]"),
                msg);
        Map<String, Tensor> twice = toHf(cfg, tl, "", true);
        twice.put("transformer.wpe.weight", tl.get("pos_embed.W_pos"));
        assertTrue(error(twice).contains("'wpe.weight' appears both"));
    }
}
