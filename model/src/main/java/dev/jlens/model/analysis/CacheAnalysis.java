// TL ActivationCache's model-aware methods (accumulated_resid, decompose_resid, stack_head_results, ...) for a
// HookedGpt2 and one of its caches; mirrors transformer_lens/ActivationCache.py.
package dev.jlens.model.analysis;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.model.HookedGpt2;
import dev.jlens.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Decompositions of the residual stream of one cached run, with TransformerLens' names, labels and shapes.
 * Stacks are [n_components, *bp, d_model], where *bp is [batch, pos] after {@code posSlice} ([batch] for an int
 * slice; no batch dim when the cache was made with removeBatchDim). Layer arguments follow TL: null or -1 mean
 * n_layers, the input to the unembed; otherwise 0..n_layers, and {@code layer} means "the input of block layer".
 * The cache is not modified: head results missing from it are computed on demand from hook_z and W_O.
 * Logit attribution, residual directions and the logit lens are in {@link LogitAttribution}
 * ({@link #logitAttribution()}).
 */
public final class CacheAnalysis {
    /** decompose_resid's mode: every layer output, only MLP outputs, or only attention outputs. */
    public enum Mode {
        /** Attention and MLP outputs. */
        ALL,
        /** MLP outputs only. */
        MLP,
        /** Attention outputs only. */
        ATTN
    }

    final AnalysisInputs in; // shared with LogitAttribution
    final LnStacks ln;
    private final ComponentResults results;

    /** Analysis of {@code cache}, which must come from {@code model} (same layer count; weights read from it). */
    public CacheAnalysis(HookedGpt2 model, ActivationCache cache) {
        this.in = new AnalysisInputs(model, cache);
        this.results = new ComponentResults(in);
        this.ln = new LnStacks(in);
    }

    /** The cache analysed. */
    public ActivationCache cache() {
        return in.cache;
    }

    /** Logit attribution, residual directions and the logit lens over this cache. */
    public LogitAttribution logitAttribution() {
        return new LogitAttribution(this);
    }

    /**
     * TL accumulated_resid: resid_pre(l) for l &lt;= layer ("{l}_pre"), plus resid_mid(l) ("{l}_mid") when
     * {@code inclMid} and l &lt; layer, or {@code mlpInput} and l == layer; at layer n_layers the last row is
     * resid_post(n_layers - 1), "final_post" (n_layers + 1 rows for GPT-2, 2 n_layers + 1 with inclMid).
     * {@code applyLn} at layer n_layers recomputes ln_final per row (TL v2.18+, w and b included for an LN model);
     * below it, divides by the cached ln1 (ln2 with mlpInput) scale of {@code layer}.
     */
    public ResidualStack accumulatedResid(Integer layer, boolean inclMid, boolean applyLn, Slice posSlice,
            boolean mlpInput) {
        String m = "accumulatedResid";
        int top = in.layer(m, layer);
        in.checkMlpInput(m, top, mlpInput);
        List<Tensor> parts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int l = 0; l <= top; l++) {
            if (l == in.cfg.nLayers()) {
                parts.add(in.act(m, "resid_post", l - 1, null));
                labels.add("final_post");
                continue;
            }
            parts.add(in.act(m, "resid_pre", l, null));
            labels.add(l + "_pre");
            if ((inclMid && l < top) || (mlpInput && l == top)) {
                parts.add(in.act(m, "resid_mid", l, null));
                labels.add(l + "_mid");
            }
        }
        Tensor stack = stackSliced(parts, posSlice);
        if (applyLn) {
            stack = top == in.cfg.nLayers() ? ln.recomputeFinal(stack)
                    : ln.apply(m, stack, top, mlpInput, posSlice, Slice.all());
        }
        return new ResidualStack(stack, labels);
    }

    /** accumulatedResid with TL's defaults: every resid_pre and final_post, no LN, all positions. */
    public ResidualStack accumulatedResid() {
        return accumulatedResid(null, false, false, Slice.all(), false);
    }

    /**
     * TL decompose_resid: "embed", "pos_embed" (when {@code inclEmbeds}), then for l &lt; layer "{l}_attn_out" and
     * "{l}_mlp_out" as {@code mode} selects, plus "{layer}_attn_out" with {@code mlpInput}. With mode ALL and
     * inclEmbeds the rows sum to resid_pre(layer) (resid_mid(layer) with mlpInput; the final stream at n_layers).
     * pos_embed is left out for a shortformer model, whose positions never enter the residual stream (TL would
     * include it).
     */
    public ResidualStack decomposeResid(Integer layer, boolean mlpInput, Mode mode, boolean applyLn, Slice posSlice,
            boolean inclEmbeds) {
        String m = "decomposeResid";
        int top = in.layer(m, layer);
        in.checkMlpInput(m, top, mlpInput);
        boolean attn = mode != Mode.MLP;
        boolean mlp = mode != Mode.ATTN && !in.cfg.attnOnly();
        List<Tensor> parts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (inclEmbeds) {
            addEmbeds(m, parts, labels);
        }
        for (int l = 0; l < top; l++) {
            if (attn) {
                parts.add(in.act(m, "attn_out", l, null));
                labels.add(l + "_attn_out");
            }
            if (mlp) {
                parts.add(in.act(m, "mlp_out", l, null));
                labels.add(l + "_mlp_out");
            }
        }
        if (mlpInput && attn) {
            parts.add(in.act(m, "attn_out", top, null));
            labels.add(top + "_attn_out");
        }
        Tensor stack = parts.isEmpty() ? empty(m, posSlice) : stackSliced(parts, posSlice);
        return new ResidualStack(applyLn ? ln.apply(m, stack, top, mlpInput, posSlice, Slice.all()) : stack, labels);
    }

    /**
     * TL stack_head_results: "L{l}H{h}" for every head of layers below {@code layer} (z W_O, no b_O), plus
     * "remainder" = resid_pre(layer) - sum of heads when {@code inclRemainder} (TL reads resid_post(layer - 1),
     * the same stream; at layer 0 TL would wrap to the last layer, here it is resid_pre(0)). applyLn uses the
     * cached scale of ln1 of {@code layer} (ln_final at n_layers).
     */
    public ResidualStack stackHeadResults(Integer layer, boolean inclRemainder, Slice posSlice, boolean applyLn) {
        String m = "stackHeadResults";
        int top = in.layer(m, layer);
        List<Tensor> parts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int l = 0; l < top; l++) {
            parts.add(results.heads(m, l, posSlice));
            for (int h = 0; h < in.cfg.nHeads(); h++) {
                labels.add("L" + l + "H" + h);
            }
        }
        Tensor stack = withRemainder(m, parts, top, inclRemainder, posSlice, labels);
        return new ResidualStack(applyLn ? ln.apply(m, stack, top, false, posSlice, Slice.all()) : stack, labels);
    }

    /**
     * TL stack_neuron_results: "L{l}N{n}" for the neurons {@code neuronSlice} keeps in every layer below
     * {@code layer} (post[n] W_out[n], no b_out), plus "remainder" = resid_pre(layer) - their sum when
     * {@code inclRemainder}. [layer * n_kept (+1), *bp, d_model]: mind the memory on large models.
     */
    public ResidualStack stackNeuronResults(Integer layer, Slice posSlice, Slice neuronSlice, boolean inclRemainder,
            boolean applyLn) {
        String m = "stackNeuronResults";
        int top = in.layer(m, layer);
        if (in.cfg.attnOnly()) {
            throw new IllegalArgumentException(m + ": " + in.cfg.modelName() + " is attention-only and has no neurons");
        }
        int[] kept = neuronSlice.keptIndices(in.cfg.dMlp());
        List<Tensor> parts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int l = 0; l < top; l++) {
            parts.add(results.neurons(m, l, posSlice, neuronSlice));
            for (int n : kept) {
                labels.add("L" + l + "N" + n);
            }
        }
        Tensor stack = withRemainder(m, parts, top, inclRemainder, posSlice, labels);
        return new ResidualStack(applyLn ? ln.apply(m, stack, top, false, posSlice, Slice.all()) : stack, labels);
    }

    /**
     * TL apply_ln_to_stack (recompute_ln=False): centre (LN, LNPre) and divide by the cached scale of ln_final
     * (layer null, -1 or n_layers) or of blocks.layer.ln1 (ln2 with {@code mlpInput}); no-op without
     * normalization. {@code posSlice} and {@code batchSlice} slice the scale only (and the batch dim of the stack,
     * dim 1): pass the slices the stack was made with.
     */
    public Tensor applyLnToStack(Tensor residualStack, Integer layer, boolean mlpInput, Slice posSlice,
            Slice batchSlice) {
        String m = "applyLnToStack";
        return ln.apply(m, residualStack, in.layer(m, layer), mlpInput, posSlice, batchSlice);
    }

    /**
     * TL get_full_resid_decomposition, in TL's order: "L{l}H{h}" for the heads of layers below {@code layer}
     * (through {@code layer} with mlpInput), then "L{l}N{n}" per neuron ({@code expandNeurons}) or "{l}_mlp_out"
     * per layer, then "embed", "pos_embed" and "bias" (TL accumulated_bias: every b_O, and b_out when neurons are
     * expanded, as mlp_out already holds it). The rows sum to resid_pre(layer), resid_mid(layer) with mlpInput,
     * or the final residual stream at n_layers.
     */
    public ResidualStack getFullResidDecomposition(Integer layer, boolean mlpInput, boolean expandNeurons,
            boolean applyLn, Slice posSlice) {
        String m = "getFullResidDecomposition";
        int top = in.layer(m, layer);
        in.checkMlpInput(m, top, mlpInput);
        ResidualStack heads = stackHeadResults(top + (mlpInput ? 1 : 0), false, posSlice, false);
        List<Tensor> parts = new ArrayList<>(List.of(heads.stack()));
        List<String> labels = new ArrayList<>(heads.labels());
        if (!in.cfg.attnOnly() && top > 0) {
            ResidualStack mlps = expandNeurons ? stackNeuronResults(top, posSlice, Slice.all(), false, false)
                    : decomposeResid(top, mlpInput, Mode.MLP, false, posSlice, false);
            parts.add(mlps.stack());
            labels.addAll(mlps.labels());
        }
        List<Tensor> embeds = new ArrayList<>();
        addEmbeds(m, embeds, labels);
        embeds.forEach(e -> parts.add(posSlice.apply(e, -2).unsqueeze(0)));
        int[] bp = in.bp(m, posSlice);
        Tensor bias = results.accumulatedBias(top, mlpInput, expandNeurons); // [d_model]
        parts.add(bias.expand(shapeOf(1, bp, in.cfg.dModel())));
        labels.add("bias");
        Tensor stack = Tensor.cat(0, parts.toArray(Tensor[]::new));
        return new ResidualStack(applyLn ? ln.apply(m, stack, top, mlpInput, posSlice, Slice.all()) : stack, labels);
    }

    /** hook_embed as "embed" and, when it is in the residual stream, hook_pos_embed as "pos_embed". */
    private void addEmbeds(String m, List<Tensor> parts, List<String> labels) {
        parts.add(in.act(m, "hook_embed"));
        labels.add("embed");
        if (in.posEmbedInResidual()) {
            parts.add(in.act(m, "hook_pos_embed"));
            labels.add("pos_embed");
        }
    }

    /** The component stacks concatenated, plus "remainder" = resid_pre(layer) - their sum when asked. */
    private Tensor withRemainder(String m, List<Tensor> parts, int layer, boolean inclRemainder, Slice pos,
            List<String> labels) {
        Tensor stack = parts.isEmpty() ? empty(m, pos) : Tensor.cat(0, parts.toArray(Tensor[]::new));
        if (!inclRemainder) {
            return stack;
        }
        Tensor target = pos.apply(residPre(m, layer), -2); // [*bp, d_model]
        Tensor remainder = stack.size(0) == 0 ? target : target.sub(stack.sum(0));
        labels.add("remainder");
        return Tensor.cat(0, stack, remainder.unsqueeze(0));
    }

    /** The input of block {@code layer}: resid_pre(layer), or resid_post(n_layers - 1) at n_layers. */
    private Tensor residPre(String m, int layer) {
        return layer == in.cfg.nLayers() ? in.act(m, "resid_post", layer - 1, null)
                : in.act(m, "resid_pre", layer, null);
    }

    /** Full-size activations [*b, pos, d_model], pos-sliced, stacked along a new dim 0 with one copy. */
    private static Tensor stackSliced(List<Tensor> parts, Slice pos) {
        Tensor[] sliced = parts.stream().map(t -> pos.apply(t, -2)).toArray(Tensor[]::new);
        return Tensor.stack(0, sliced);
    }

    /** An empty stack [0, *bp, d_model] (TL's zeros(0, ...) for layer 0). */
    private Tensor empty(String m, Slice pos) {
        return Tensor.zeros(shapeOf(0, in.bp(m, pos), in.cfg.dModel()));
    }

    private static int[] shapeOf(int first, int[] bp, int last) {
        int[] out = new int[bp.length + 2];
        out[0] = first;
        System.arraycopy(bp, 0, out, 1, bp.length);
        out[out.length - 1] = last;
        return out;
    }
}
