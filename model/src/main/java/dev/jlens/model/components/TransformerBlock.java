// TL TransformerBlock: resid_pre -> ln1 -> attn -> attn_out -> resid_mid -> ln2 -> mlp -> mlp_out -> resid_post.
package dev.jlens.model.components;

import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookedModule;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.tensor.Tensor;

/**
 * One GPT-2 block, mirroring TL components/transformer_block.py, fields in TL's registration order so hook names
 * list in TL's order. ln1 runs once per q, k and v input when it is hooked (TL fires its hooks three times);
 * unhooked, one normalization feeds all three and attention uses its fused QKV GEMM.
 */
public final class TransformerBlock implements HookedModule {
    private final LayerNorm ln1; // null when normalization_type is none
    private final LayerNorm ln2; // null when attn_only or normalization_type is none
    private final Attention attn;
    private final Mlp mlp;       // null when attn_only
    private final HookPoint hookAttnIn = new HookPoint();   // [batch, pos, head_index, d_model]
    private final HookPoint hookQInput = new HookPoint();   // [batch, pos, head_index, d_model]
    private final HookPoint hookKInput = new HookPoint();   // [batch, pos, head_index, d_model]
    private final HookPoint hookVInput = new HookPoint();   // [batch, pos, head_index, d_model]
    private final HookPoint hookMlpIn = new HookPoint();    // [batch, pos, d_model]
    private final HookPoint hookAttnOut = new HookPoint();  // [batch, pos, d_model]
    private final HookPoint hookMlpOut = new HookPoint();   // [batch, pos, d_model]
    private final HookPoint hookResidPre = new HookPoint(); // [batch, pos, d_model]
    private final HookPoint hookResidMid;                   // [batch, pos, d_model]; null when attn_only
    private final HookPoint hookResidPost = new HookPoint(); // [batch, pos, d_model]
    private final Gpt2Config cfg;

    /** A block from its parts; {@code ln1}/{@code ln2}/{@code mlp} may be null as the config says. */
    public TransformerBlock(Gpt2Config cfg, LayerNorm ln1, LayerNorm ln2, Attention attn, Mlp mlp) {
        this.cfg = cfg;
        this.ln1 = ln1;
        this.ln2 = ln2;
        this.attn = attn;
        this.mlp = mlp;
        this.hookResidMid = cfg.attnOnly() ? null : new HookPoint();
    }

    /** ln1, or null when normalization_type is none. */
    public LayerNorm ln1() {
        return ln1;
    }

    /** ln2, or null when attn_only or normalization_type is none. */
    public LayerNorm ln2() {
        return ln2;
    }

    /** The attention layer. */
    public Attention attn() {
        return attn;
    }

    /** The MLP, or null when attn_only. */
    public Mlp mlp() {
        return mlp;
    }

    /**
     * residPre [batch, pos, d_model] -> resid_post; {@code shortformerPos} [batch, pos, d_model] is added to the
     * q and k inputs (null for standard GPT-2); keyMask [batch, key_pos] marks real tokens (null: all).
     */
    public Tensor forward(Tensor residPre, Tensor shortformerPos, Tensor keyMask) {
        return forward(residPre, shortformerPos, keyMask, null);
    }

    /**
     * The block resumed at position p0 (see {@link BlockSuffix}; null: the plain forward): residPre and
     * shortformerPos are [batch, pos - p0, d_model]. Layer norm and MLP are position-wise and attention is causal,
     * so the result, [batch, outputs, d_model], equals the full block's resid_post at the last outputs positions.
     * hook_resid_pre and the q/k/v inputs see positions p0..; the hooks after attention see the output positions.
     */
    public Tensor forward(Tensor residPre, Tensor shortformerPos, Tensor keyMask, BlockSuffix suffix) {
        Tensor resid = hookResidPre.forward(residPre);
        Tensor[] qkv = attnInputs(resid, shortformerPos);
        Tensor attnOut = attn.forward(qkv[0], qkv[1], qkv[2], keyMask, suffix);
        return finish(lastPositions(resid, attnOut.size(1)), attnOut);
    }

    /** The last n positions of x [b, p, d_model] (x itself when n = p). */
    private static Tensor lastPositions(Tensor x, int n) {
        return n == x.size(1) ? x : x.narrow(1, x.size(1) - n, n);
    }

    /**
     * The q, k and v inputs of attention, ln1 applied, with TL's options: hook_attn_in or hook_q/k/v_input (per-head
     * copies of resid), ln1 run once per input when it is hooked (TL fires its hooks three times) and once for all
     * three otherwise, and the shortformer positions added to q and k.
     */
    private Tensor[] attnInputs(Tensor resid, Tensor shortformerPos) {
        Tensor attnIn = cfg.useAttnIn() ? hookAttnIn.forward(perHead(resid)) : resid;
        Tensor qIn = cfg.useSplitQkvInput() ? hookQInput.forward(perHead(resid)) : attnIn;
        Tensor kIn = cfg.useSplitQkvInput() ? hookKInput.forward(perHead(resid)) : attnIn;
        Tensor vIn = cfg.useSplitQkvInput() ? hookVInput.forward(perHead(resid)) : attnIn;
        Tensor q = norm(ln1, qIn);
        Tensor k = kIn == qIn && !hooked(ln1) ? q : norm(ln1, kIn);
        Tensor v = vIn == qIn && !hooked(ln1) ? q : norm(ln1, vIn);
        if (shortformerPos != null) {
            Tensor pos = q.rank() == 4 ? shortformerPos.unsqueeze(2) : shortformerPos;
            q = q.add(pos);
            k = k.add(pos);
        }
        return new Tensor[] {q, k, v};
    }

    /**
     * The block from hook_z on, given residPre [batch, n, d_model] (hook_resid_pre does not fire) and z [batch, n,
     * head_index, d_head] of the same positions: hook_z, attention output, resid_mid, MLP, resid_post. Equal to
     * {@link #forward} at those positions when z is what attention would make there, so a run resumed from a cached
     * z skips ln1, the QKV projection and attention.
     */
    public Tensor forwardFromZ(Tensor residPre, Tensor z) {
        return finish(residPre, attn.output(z));
    }

    /** resid [b, n, d_model] + attention output -> resid_mid -> MLP -> resid_post, firing the hooks in between. */
    private Tensor finish(Tensor resid, Tensor attnOutIn) {
        Tensor attnOut = hookAttnOut.forward(attnOutIn);
        if (mlp == null) {
            return hookResidPost.forward(resid.add(attnOut));
        }
        Tensor mid = hookResidMid.forward(resid.add(attnOut));
        Tensor mlpIn = cfg.useHookMlpIn() ? hookMlpIn.forward(mid.copy()) : mid;
        Tensor mlpOut = hookMlpOut.forward(mlp.forward(norm(ln2, mlpIn)));
        return hookResidPost.forward(mid.add(mlpOut));
    }

    /** resid [b, p, d_model] repeated per head as a writable [b, p, head_index, d_model] copy. */
    private Tensor perHead(Tensor resid) {
        return resid.unsqueeze(2).expand(resid.size(0), resid.size(1), cfg.nHeads(), resid.size(2)).copy();
    }

    private static Tensor norm(LayerNorm ln, Tensor x) {
        return ln == null ? x : ln.forward(x);
    }

    private static boolean hooked(LayerNorm ln) {
        return ln != null && ln.hasHooks();
    }
}
