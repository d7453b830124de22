// GPT-2 in which every activation passes a named HookPoint: forward, run_with_hooks, run_with_cache.
package dev.jlens.model;

import dev.jlens.hooks.ActivationCache;
import dev.jlens.hooks.FwdHook;
import dev.jlens.hooks.HookDir;
import dev.jlens.hooks.HookFn;
import dev.jlens.hooks.HookHandle;
import dev.jlens.hooks.HookPoint;
import dev.jlens.hooks.HookRegistry;
import dev.jlens.hooks.HookedModule;
import dev.jlens.hooks.NameFilter;
import dev.jlens.model.components.Attention;
import dev.jlens.model.components.BlockSuffix;
import dev.jlens.model.components.Embed;
import dev.jlens.model.components.LayerNorm;
import dev.jlens.model.components.TransformerBlock;
import dev.jlens.model.components.Unembed;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.PositionalEmbeddingType;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import dev.jlens.model.tokenizer.PaddingSide;
import dev.jlens.model.tokenizer.TokenBatch;
import dev.jlens.model.weights.StateDict;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * TransformerLens' HookedTransformer for GPT-2. {@code forward} reads like the math:
 * resid = hook_embed(W_E[tokens]) + hook_pos_embed(W_pos[pos]); each block maps resid_pre to resid_post;
 * logits = ln_final(resid) W_U + b_U. Hook names and shapes are TL's (see {@link #hookNames()}).
 *
 * <p>Thread-safe: one instance serves any number of threads. Its weights are immutable after load. Hooks given to a
 * run ({@link #runWithHooks}, {@link #runWithCache}, the {@link #hooks} scope, patching and the analyses) apply to
 * runs on the calling thread only; persistent hooks ({@link #addHook}, {@link #addPermaHook}) are model-wide, as in
 * TransformerLens, and may be added or removed while other threads run (a run in progress sees the change from the
 * next hook point it reaches).
 */
public final class HookedGpt2 implements HookedModule {
    private static final System.Logger LOG = System.getLogger("dev.jlens.model");
    private final Backend backend; // every op of a run dispatches here; the weights are prepared for it
    private final Gpt2Config cfg;
    private final Embed embed;
    private final HookPoint hookEmbed = new HookPoint();    // [batch, pos, d_model]
    private final HookPoint hookPosEmbed = new HookPoint(); // [batch, pos, d_model]
    private final List<TransformerBlock> blocks;
    private final LayerNorm lnFinal; // null when normalization_type is none
    private final Unembed unembed;
    private final HookRegistry registry;
    private final Supplier<Gpt2Tokenizer> tokenizer; // made on first use (GPT-2's BPE takes a second); null: none

    /** A model from assembled components (see {@link Gpt2Assembly#fromStateDict}). */
    HookedGpt2(Backend backend, Gpt2Config cfg, Embed embed, List<TransformerBlock> blocks, LayerNorm lnFinal,
            Unembed unembed, Supplier<Gpt2Tokenizer> tokenizer) {
        this.backend = backend;
        this.cfg = cfg;
        this.tokenizer = tokenizer == null ? null : memoized(tokenizer);
        this.embed = embed;
        this.blocks = List.copyOf(blocks);
        this.lnFinal = lnFinal;
        this.unembed = unembed;
        this.registry = HookRegistry.setup(this);
    }

    /** The backend this model's weights are prepared for and its runs compute on. */
    public Backend backend() {
        return backend;
    }

    /**
     * This model on {@code target}: itself when it is already there, otherwise a new model whose weights are
     * prepared once for {@code target} from this one's (logged with their size). Hooks are not carried over.
     */
    public HookedGpt2 to(Backend target) {
        if (target == backend) {
            return this;
        }
        StateDict w = weights();
        long bytes = w.keys().stream().mapToLong(k -> 4L * w.get(k).numel()).sum();
        LOG.log(System.Logger.Level.INFO, "moving " + cfg.modelName() + " from " + backend.name() + " to "
                + target.name() + ": preparing " + w.keys().size() + " weights (" + bytes / (1 << 20) + " MiB) once");
        return Gpt2Assembly.load(cfg, w, ProcessingOptions.none(), tokenizer, target);
    }

    /** The configuration. */
    public Gpt2Config cfg() {
        return cfg;
    }

    /**
     * The parameters under TransformerLens keys (e.g. {@code blocks.9.attn.W_O} [n_heads, d_head, d_model],
     * {@code unembed.W_U} [d_model, d_vocab]), after weight processing: read-only views of the tensors the forward
     * reads (a prepared matrix is read through its packed or device form), so no weight is held twice.
     */
    public StateDict weights() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("embed.W_E", embed.wE());
        w.put("pos_embed.W_pos", embed.wPos());
        for (int l = 0; l < blocks.size(); l++) {
            String p = "blocks." + l + ".";
            TransformerBlock block = blocks.get(l);
            putLayerNorm(w, p + "ln1", block.ln1());
            putLayerNorm(w, p + "ln2", block.ln2());
            Attention attn = block.attn();
            w.put(p + "attn.W_Q", attn.wQ());
            w.put(p + "attn.W_K", attn.wK());
            w.put(p + "attn.W_V", attn.wV());
            w.put(p + "attn.W_O", attn.wO());
            w.put(p + "attn.b_Q", attn.bias(0));
            w.put(p + "attn.b_K", attn.bias(1));
            w.put(p + "attn.b_V", attn.bias(2));
            w.put(p + "attn.b_O", attn.bO());
            if (block.mlp() != null) {
                w.put(p + "mlp.W_in", block.mlp().wIn());
                w.put(p + "mlp.b_in", block.mlp().bIn());
                w.put(p + "mlp.W_out", block.mlp().wOut());
                w.put(p + "mlp.b_out", block.mlp().bOut());
            }
        }
        putLayerNorm(w, "ln_final", lnFinal);
        w.put("unembed.W_U", unembed.wU());
        w.put("unembed.b_U", unembed.bU());
        return new StateDict(w, cfg.modelName());
    }

    private static void putLayerNorm(Map<String, Tensor> w, String name, LayerNorm ln) {
        if (ln != null && ln.w() != null) {
            w.put(name + ".w", ln.w());
            w.put(name + ".b", ln.b());
        }
    }

    /** The tokenizer; throws when the model was built without one. */
    public Gpt2Tokenizer tokenizer() {
        Gpt2Tokenizer t = tokenizer == null ? null : tokenizer.get();
        if (t == null) {
            throw new IllegalStateException(cfg.modelName() + " has no tokenizer; pass token ids instead of text");
        }
        return t;
    }

    /** {@code make}'s value, computed once by the first caller (others wait for it). */
    private static Supplier<Gpt2Tokenizer> memoized(Supplier<Gpt2Tokenizer> make) {
        return new Supplier<>() {
            private Gpt2Tokenizer value;

            @Override
            public synchronized Gpt2Tokenizer get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /** TL to_tokens(text): ids [1][pos] with BOS prepended. */
    public int[][] toTokens(String text) {
        return tokenizer().toTokens(text).ids();
    }

    /** TL to_str_tokens(text): one string per token, BOS first. */
    public List<String> toStrTokens(String text) {
        return tokenizer().toStrTokens(text, true);
    }

    /** TL to_string(ids): the decoded text. */
    public String toString(int... ids) {
        return tokenizer().toString(ids);
    }

    /**
     * TL to_tokens(prompts, prepend_bos, padding_side): ids [batch][pos] padded to the longest prompt with the PAD id
     * and the mask that is 1 at real tokens; pass the mask to forward ({@link RunOptions#withAttentionMask}).
     */
    public TokenBatch toTokens(List<String> prompts, boolean prependBos, PaddingSide side) {
        return tokenizer().toTokens(prompts, prependBos, side);
    }

    /** TL to_str_tokens(tokens): the text of each id. */
    public List<String> toStrTokens(int... ids) {
        return Arrays.stream(ids).mapToObj(tokenizer()::tokenString).toList();
    }

    /** TL to_str_tokens of a batch [batch][pos]: one list per row, pads included. */
    public List<List<String>> toStrTokens(int[][] batch) {
        return Arrays.stream(batch).map(this::toStrTokens).toList();
    }

    /** TL to_string(tokens [batch][pos]): each row decoded, pads included (no clean-up of spaces). */
    public List<String> toString(int[][] batch) {
        return Arrays.stream(batch).map(this::toString).toList();
    }

    /**
     * TL get_token_position(token, input, mode): the index of the first ({@code last} false) or last occurrence of
     * {@code token} in {@code ids}; throws "The token does not occur in the prompt" when it is absent.
     */
    public int getTokenPosition(int token, int[] ids, boolean last) {
        int found = -1;
        for (int p = 0; p < ids.length && (last || found < 0); p++) {
            found = ids[p] == token ? p : found;
        }
        if (found < 0) {
            throw new IllegalArgumentException("The token does not occur in the prompt: " + token + " ("
                    + toStrTokens(token) + ") is not in " + Arrays.toString(ids));
        }
        return found;
    }

    /** getTokenPosition of the single token {@code token} (e.g. " Mary") in {@code text} tokenized with BOS. */
    public int getTokenPosition(String token, String text, boolean last) {
        return getTokenPosition(toSingleToken(token), toTokens(text)[0], last);
    }

    /** TL to_single_token(text): the one id of {@code text}; throws when it is not exactly one token. */
    public int toSingleToken(String text) {
        return tokenizer().toSingleToken(text);
    }

    /** Logits [1, pos, d_vocab] of {@code text} with BOS prepended. */
    public Tensor forward(String text) {
        return forward(toTokens(text));
    }

    /** Logits [batch, pos, d_vocab] of token ids [batch][pos]. */
    public Tensor forward(int[][] tokens) {
        return forward(tokens, RunOptions.defaults()).logits();
    }

    /** One forward pass with TL's options (return type, mask, start/stop layer). */
    public ModelOutput forward(int[][] tokens, RunOptions options) {
        try (Backends.Scope on = Backends.use(backend)) {
            return forwardOnBackend(tokens, options);
        }
    }

    private ModelOutput forwardOnBackend(int[][] tokens, RunOptions options) {
        Tensor keyMask = Inputs.check(cfg, tokens, options);
        int stop = stopLayer(options.stopAtLayer());
        Tensor resid;
        Tensor shortformerPos = null;
        if (options.startAtLayer() == 0) {
            Tensor[] embedded = embed(tokens, 0, options.attentionMask());
            resid = embedded[0];
            shortformerPos = embedded[1];
        } else {
            resid = options.startResidual();
        }
        for (int layer = options.startAtLayer(); layer < stop; layer++) {
            resid = blocks.get(layer).forward(resid, shortformerPos, keyMask);
        }
        if (stop < cfg.nLayers()) {
            return new ModelOutput(null, null, resid);
        }
        if (options.returnType() == ReturnType.NONE) {
            return new ModelOutput(null, null, null);
        }
        Tensor logits = unembedResidual(resid);
        Tensor loss = options.returnType().wantsLoss()
                ? LmLoss.crossEntropy(logits, tokens, options.attentionMask(), options.lossPerToken()) : null;
        return new ModelOutput(options.returnType().wantsLogits() ? logits : null, loss, null);
    }

    /**
     * hook_embed(W_E[tokens]) and hook_pos_embed(W_pos rows of positions offset.., counted by {@code mask} [batch,
     * offset + pos] when given): {resid [batch, pos, d_model], shortformer positions or null}.
     */
    private Tensor[] embed(int[][] tokens, int offset, int[][] mask) {
        Tensor tokenEmbed = hookEmbed.forward(embed.tokens(tokens));
        Tensor posEmbed = hookPosEmbed.forward(embed.positions(tokens.length, tokens[0].length, offset, mask));
        boolean shortformer = cfg.positionalEmbeddingType() == PositionalEmbeddingType.SHORTFORMER;
        return shortformer ? new Tensor[] {tokenEmbed, posEmbed} : new Tensor[] {tokenEmbed.add(posEmbed), null};
    }

    /**
     * TL forward(tokens, past_kv_cache=cache): logits [batch, n, d_vocab] of n new tokens [batch][n] that follow the
     * positions held in {@code cache} and attend to them; {@code newMask} [batch][n] marks the new real tokens
     * (null: all real). Appends the new positions' keys, values and mask to the cache. Hooks see the new positions
     * only (hook_resid_pre [batch, n, d_model], hook_pattern [batch, head_index, n, cached + n]).
     */
    public Tensor forward(int[][] newTokens, int[][] newMask, KvCache cache) {
        Inputs.checkCached(cfg, newTokens, newMask, cache);
        try (Backends.Scope on = Backends.use(backend)) {
            int n = newTokens[0].length;
            int[][] mask = cache.maskWith(newMask, n); // [batch, cached + n] or null
            Tensor keyMask = mask == null ? null : Inputs.maskTensor(mask);
            Tensor[] embedded = embed(newTokens, cache.length(), mask);
            Tensor resid = embedded[0];
            for (int layer = 0; layer < cfg.nLayers(); layer++) {
                BlockSuffix suffix = BlockSuffix.cached(cache.layer(layer), n);
                resid = blocks.get(layer).forward(resid, embedded[1], keyMask, suffix);
            }
            cache.keepMask(mask);
            return unembedResidual(resid);
        }
    }

    /**
     * Block {@code layer} resumed at position p0, given the keys and values before it (TL's forward with a
     * past_kv_cache, at one block; see {@link BlockSuffix}): residSuffix [batch, pos - p0, d_model] is
     * hook_resid_pre at positions p0..; returns resid_post at the last {@code suffix.outputs()} positions, equal to
     * a full pass's by causality. The block's hooks fire on the computed positions only: [batch, pos - p0, ...] up
     * to hook_q/k/v, [batch, outputs, ...] after, patterns [batch, head_index, outputs, pos]. Exact patching
     * resumes runs with this.
     */
    public Tensor blockForward(int layer, Tensor residSuffix, BlockSuffix suffix) {
        return blockForward(layer, residSuffix, suffix, null);
    }

    /**
     * {@link #blockForward(int, Tensor, BlockSuffix)} of a padded batch: {@code mask} [batch][p0 + (pos - p0)] marks
     * the real tokens of all positions, cached and new (null: all real), as forward's attention mask does.
     */
    public Tensor blockForward(int layer, Tensor residSuffix, BlockSuffix suffix, int[][] mask) {
        Inputs.checkSuffix(cfg, layer, residSuffix, suffix);
        Inputs.checkSuffixMask(residSuffix, suffix, mask);
        try (Backends.Scope on = Backends.use(backend)) {
            Tensor shortformerPos = cfg.positionalEmbeddingType() == PositionalEmbeddingType.SHORTFORMER
                    ? embed.positions(residSuffix.size(0), residSuffix.size(1), suffix.cached(), mask) : null;
            return blocks.get(layer).forward(residSuffix, shortformerPos, mask == null ? null
                    : Inputs.maskTensor(mask), suffix);
        }
    }

    /**
     * Block {@code layer} resumed from its hook_z: residPre [batch, n, d_model] and z [batch, n, head_index, d_head]
     * at the same n positions give resid_post there (hook_z and the hooks after it fire; see
     * {@link TransformerBlock#forwardFromZ}). Exact patching of z resumes runs with this: q, k, v and the pattern
     * of the patched block do not depend on its z.
     */
    public Tensor blockForwardFromZ(int layer, Tensor residPre, Tensor z) {
        Inputs.checkFromZ(cfg, layer, residPre, z);
        try (Backends.Scope on = Backends.use(backend)) {
            return blocks.get(layer).forwardFromZ(residPre, z);
        }
    }

    /** The last steps of forward: ln_final (its hooks fire) then W_U; resid [..., d_model] -> [..., d_vocab]. */
    public Tensor unembedResidual(Tensor resid) {
        try (Backends.Scope on = Backends.use(backend)) {
            return unembed.forward(lnFinal == null ? resid : lnFinal.forward(resid));
        }
    }

    private int stopLayer(Integer stopAtLayer) {
        if (stopAtLayer == null) {
            return cfg.nLayers();
        }
        int stop = stopAtLayer < 0 ? cfg.nLayers() + stopAtLayer : stopAtLayer;
        if (stop < 0 || stop > cfg.nLayers()) {
            throw new IllegalArgumentException("stop_at_layer " + stopAtLayer + " is out of range for "
                    + cfg.nLayers() + " layers");
        }
        return stop;
    }

    /** forward with {@code hooks} attached for this call only; they are removed even if a hook throws. */
    public ModelOutput runWithHooks(int[][] tokens, List<FwdHook> hooks, RunOptions options) {
        try (HookHandle scope = registry.hooks(hooks)) {
            return forward(tokens, options);
        }
    }

    /** Logits with {@code hooks} attached for this call only. */
    public Tensor runWithHooks(int[][] tokens, List<FwdHook> hooks) {
        return runWithHooks(tokens, hooks, RunOptions.defaults()).logits();
    }

    /**
     * forward, keeping the activation of every hook point that passes {@code names} (TL run_with_cache);
     * {@code removeBatchDim} drops the batch dim of a batch of one.
     */
    public CachedRun runWithCache(int[][] tokens, NameFilter names, boolean removeBatchDim, RunOptions options) {
        Map<String, Tensor> acts = new LinkedHashMap<>();
        ModelOutput out;
        try (HookHandle scope = registry.caching(names, acts, removeBatchDim)) {
            out = forward(tokens, options);
        }
        return new CachedRun(out, new ActivationCache(acts, cfg.nLayers(), !removeBatchDim));
    }

    /**
     * TL's run_with_cache(incl_bwd=True), with {@code inclBwd}, a metric of the logits, as the scalar differentiated:
     * the activations passing {@code names}, and under name + "_grad" d metric / d activation ({@link GradientRun}).
     */
    public CachedRun runWithCache(int[][] tokens, NameFilter names, boolean removeBatchDim, RunOptions options,
            LogitMetric inclBwd) {
        return GradientRun.withCache(this, tokens, names, removeBatchDim, options, inclBwd);
    }

    /** d metric / d activation at each hook in {@code names}, TL shapes; a name the run does not reach is an error. */
    public Gradients gradients(int[][] tokens, RunOptions options, LogitMetric metric, List<String> names) {
        return GradientRun.run(this, tokens, options, metric, NameFilter.anyOf(names), names, List.of(), List.of());
    }

    /** Every activation of a full forward, with the batch dim. */
    public CachedRun runWithCache(int[][] tokens) {
        return runWithCache(tokens, NameFilter.all(), false, RunOptions.defaults());
    }

    /**
     * TL generate(text): continues {@code prompt} (BOS first unless the options say otherwise) token by token with
     * the model's persistent hooks and the options' hooks active, using a KV cache unless the options turn it off.
     */
    public Generated generate(String prompt, GenerateOptions options) {
        return Generation.fromText(this, List.of(prompt), options);
    }

    /** TL generate(list of text): the prompts left-padded into one batch, each row continued independently. */
    public Generated generate(List<String> prompts, GenerateOptions options) {
        return Generation.fromText(this, prompts, options);
    }

    /**
     * TL generate(tokens): continues token ids [batch][pos]; {@code mask} [batch][pos] (null: all real) marks real
     * tokens of a left-padded batch (pads first; positions count from each row's first real token).
     */
    public Generated generate(int[][] tokens, int[][] mask, GenerateOptions options) {
        return Generation.run(this, tokens, mask, options);
    }

    /**
     * Attaches {@code hooks} to this thread's runs until the returned scope closes (TL's {@code with
     * model.hooks(...)}); close it on the same thread.
     */
    public HookHandle hooks(List<FwdHook> hooks) {
        return registry.hooks(hooks);
    }

    /** Adds a hook by exact name that stays until {@link #resetHooks} or its handle closes. */
    public HookHandle addHook(String name, HookFn fn) {
        return registry.addHook(name, fn);
    }

    /** Adds a hook at every hook point whose name passes {@code filter}. */
    public HookHandle addHook(NameFilter filter, HookFn fn) {
        return registry.addHook(filter, fn);
    }

    /**
     * TL add_hook(name, hook, dir): with {@link HookDir#BWD} a backward hook that every gradient run of any thread
     * calls with the gradient arriving at the hook point (null observes, a tensor of its shape replaces what flows
     * on; see {@link HookPoint#backward}); it stays until {@link #resetHooks} or its handle closes.
     */
    public HookHandle addHook(String name, HookFn fn, HookDir dir) {
        return registry.addHook(name, fn, dir);
    }

    /** {@link #addHook(String, HookFn, HookDir)} at every hook point whose name passes {@code filter}. */
    public HookHandle addHook(NameFilter filter, HookFn fn, HookDir dir) {
        return registry.addHook(filter, fn, dir);
    }

    /** Adds a permanent hook (survives {@code resetHooks(false)}). */
    public HookHandle addPermaHook(String name, HookFn fn) {
        return registry.addPermaHook(name, fn);
    }

    /** Adds a permanent hook for pass {@code dir} (TL add_perma_hook(name, hook, dir)). */
    public HookHandle addPermaHook(String name, HookFn fn, HookDir dir) {
        return registry.addPermaHook(name, fn, dir);
    }

    /** Removes temporary hooks of both passes, and permanent ones when {@code includingPermanent}. */
    public void resetHooks(boolean includingPermanent) {
        registry.resetHooks(includingPermanent);
    }

    /** Every hook name in TL's hook_dict order. */
    public Set<String> hookNames() {
        return registry.hookDict().keySet();
    }

    /** The hook point called {@code name} (unknown names suggest the nearest). */
    public HookPoint hookPoint(String name) {
        return registry.hookPoint(name);
    }

    @Override
    public String toString() {
        return "HookedGpt2(" + cfg.modelName() + ": " + cfg.nLayers() + " layers, d_model " + cfg.dModel() + ", "
                + cfg.nHeads() + " heads, vocab " + cfg.dVocab() + ")";
    }
}
