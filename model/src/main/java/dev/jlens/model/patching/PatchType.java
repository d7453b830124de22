// The activations TL's patching module sweeps (get_act_patch_*): which hook, which setter, which output axes.
package dev.jlens.model.patching;

import dev.jlens.hooks.ActNames;
import java.util.Arrays;
import java.util.Locale;

/**
 * One kind of patch sweep, named after TransformerLens' {@code get_act_patch_<name>} function. The result of a
 * sweep has one dim per {@link PatchSetter#axes() axis}: [n_layers, pos] for the residual stream and block
 * outputs; [n_layers, pos, n_heads] for head vectors by position; [n_layers, n_heads] for all positions at once;
 * [n_layers, n_heads, dest_pos] for the pattern by position, and [n_layers, n_heads, dest_pos, src_pos] per entry.
 */
public enum PatchType {
    /** {@code get_act_patch_resid_pre}: resid_pre patched, result [n_layers, pos]. */
    RESID_PRE("resid_pre", PatchSetter.LAYER_POS),
    /** {@code get_act_patch_resid_mid}: resid_mid patched, result [n_layers, pos]. */
    RESID_MID("resid_mid", PatchSetter.LAYER_POS),
    /** {@code get_act_patch_attn_out}: attn_out patched, result [n_layers, pos]. */
    ATTN_OUT("attn_out", PatchSetter.LAYER_POS),
    /** {@code get_act_patch_mlp_out}: mlp_out patched, result [n_layers, pos]. */
    MLP_OUT("mlp_out", PatchSetter.LAYER_POS),
    /** {@code get_act_patch_attn_head_out_by_pos}: z patched, result [n_layers, pos, n_heads]. */
    ATTN_HEAD_OUT_BY_POS("z", PatchSetter.LAYER_POS_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_q_by_pos}: q patched, result [n_layers, pos, n_heads]. */
    ATTN_HEAD_Q_BY_POS("q", PatchSetter.LAYER_POS_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_k_by_pos}: k patched, result [n_layers, pos, n_heads]. */
    ATTN_HEAD_K_BY_POS("k", PatchSetter.LAYER_POS_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_v_by_pos}: v patched, result [n_layers, pos, n_heads]. */
    ATTN_HEAD_V_BY_POS("v", PatchSetter.LAYER_POS_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_pattern_by_pos}: pattern patched, result [n_layers, n_heads, dest_pos]. */
    ATTN_HEAD_PATTERN_BY_POS("pattern", PatchSetter.LAYER_HEAD_POS_PATTERN),
    /**
     * {@code get_act_patch_attn_head_pattern_dest_src_pos}: pattern patched, result [n_layers, n_heads, dest_pos,
     * src_pos].
     */
    ATTN_HEAD_PATTERN_DEST_SRC_POS("pattern", PatchSetter.LAYER_HEAD_DEST_SRC_POS_PATTERN),
    /** {@code get_act_patch_attn_head_out_all_pos}: z patched, result [n_layers, n_heads]. */
    ATTN_HEAD_OUT_ALL_POS("z", PatchSetter.LAYER_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_q_all_pos}: q patched, result [n_layers, n_heads]. */
    ATTN_HEAD_Q_ALL_POS("q", PatchSetter.LAYER_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_k_all_pos}: k patched, result [n_layers, n_heads]. */
    ATTN_HEAD_K_ALL_POS("k", PatchSetter.LAYER_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_v_all_pos}: v patched, result [n_layers, n_heads]. */
    ATTN_HEAD_V_ALL_POS("v", PatchSetter.LAYER_HEAD_VECTOR),
    /** {@code get_act_patch_attn_head_pattern_all_pos}: pattern patched, result [n_layers, n_heads]. */
    ATTN_HEAD_PATTERN_ALL_POS("pattern", PatchSetter.LAYER_HEAD_PATTERN);

    private final String activation;
    private final PatchSetter setter;

    PatchType(String activation, PatchSetter setter) {
        this.activation = activation;
        this.setter = setter;
    }

    /** TL's activation_name: the get_act_name shorthand ("resid_pre", "z", "pattern", ...). */
    public String activation() {
        return activation;
    }

    /** The setter, which fixes the index axes. */
    public PatchSetter setter() {
        return setter;
    }

    /** The full hook name at {@code layer}, e.g. blocks.3.attn.hook_z. */
    public String hookName(int layer) {
        return ActNames.get(activation, layer);
    }

    /** The TransformerLens function this sweep mirrors, e.g. get_act_patch_attn_head_out_by_pos. */
    public String tlFunction() {
        return "get_act_patch_" + name().toLowerCase(Locale.ROOT);
    }

    /**
     * The sweep of activation {@code act} ("resid_pre", "resid_mid", "attn_out", "mlp_out", "z" or "out", "q",
     * "k", "v", "pattern"), by position or over all positions at once (the CLI's --act and --by-pos).
     */
    public static PatchType of(String act, boolean byPos) {
        String a = act.equals("out") ? "z" : act;
        for (PatchType t : values()) {
            boolean perPos = t.setter != PatchSetter.LAYER_HEAD_VECTOR && t.setter != PatchSetter.LAYER_HEAD_PATTERN;
            if (t.activation.equals(a) && t != ATTN_HEAD_PATTERN_DEST_SRC_POS
                    && (perPos == byPos || t.setter == PatchSetter.LAYER_POS)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no patch sweep for activation '" + act + "'; known: "
                + Arrays.toString(new String[] {"resid_pre", "resid_mid", "attn_out", "mlp_out", "z", "q", "k", "v",
                    "pattern"}));
    }
}
