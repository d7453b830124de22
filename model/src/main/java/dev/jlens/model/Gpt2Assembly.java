// Builds a HookedGpt2 from a TL-keyed state dict part by part: process a part, prepare its weights, release the rest.
package dev.jlens.model;

import dev.jlens.model.components.Attention;
import dev.jlens.model.components.Embed;
import dev.jlens.model.components.LayerNorm;
import dev.jlens.model.components.Mlp;
import dev.jlens.model.components.TransformerBlock;
import dev.jlens.model.components.Unembed;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import dev.jlens.model.weights.MemoryBudget;
import dev.jlens.model.weights.OwnedWeights;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.model.weights.WeightProcessing;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Wires components from weights; the weights' keys and shapes are TransformerLens' (see {@link StateDict}).
 *
 * <p>Each weight ends up once, in the form its kernel reads: matrices prepared by the backend (packed panels off
 * the heap on the CPU, device memory on CUDA), embeddings off the heap, biases and LayerNorm weights on the heap.
 * The input may be views of a memory-mapped checkpoint: the model keeps nothing of it, and {@link #load} releases
 * each part's mapped pages once the part is built, so the checkpoint can close after loading and the resident
 * memory of a load stays near the model's own size.
 */
public final class Gpt2Assembly {
    /** Blocks processed at once: each holds one block's intermediates, so this bounds the transient memory. */
    static final int BLOCKS_IN_FLIGHT = 2;

    private Gpt2Assembly() {}

    /** A hooked model of {@code cfg} with the weights of {@code sd} (unprocessed) and no tokenizer. */
    public static HookedGpt2 fromStateDict(Gpt2Config cfg, StateDict sd) {
        return fromStateDict(cfg, sd, null);
    }

    /**
     * A hooked model of {@code cfg} with the weights of {@code sd} (unprocessed) and {@code tokenizer} (may be null);
     * a missing or misshapen weight is an error. {@code sd} is not modified.
     */
    public static HookedGpt2 fromStateDict(Gpt2Config cfg, StateDict sd, Gpt2Tokenizer tokenizer) {
        return load(cfg, sd, ProcessingOptions.none(), tokenizer);
    }

    /**
     * TL's load_and_process_state_dict, streamed: the embeddings, then each block, then the unembedding are
     * processed ({@link WeightProcessing.Steps}) and prepared in turn (two blocks at a time), and a part's
     * intermediates are freed as soon as it is built, so the transient memory is about one part (the largest is the
     * unembedding) or two blocks.
     *
     * @param cfg       the config of {@code raw}
     * @param raw       TL-keyed weights, e.g. views of a mapped checkpoint; not modified
     * @param options   the processing steps
     * @param tokenizer the model's tokenizer, or null
     */
    public static HookedGpt2 load(Gpt2Config cfg, StateDict raw, ProcessingOptions options, Gpt2Tokenizer tokenizer) {
        return load(cfg, raw, options, tokenizer == null ? null : () -> tokenizer);
    }

    /**
     * As {@link #load(Gpt2Config, StateDict, ProcessingOptions, Gpt2Tokenizer)} on the current backend, the tokenizer
     * made on first use.
     */
    public static HookedGpt2 load(Gpt2Config cfg, StateDict raw, ProcessingOptions options,
            Supplier<Gpt2Tokenizer> tokenizer) {
        return load(cfg, raw, options, tokenizer, Backends.current());
    }

    /** As above, with the weights prepared for {@code backend}, which the model then runs on. */
    public static HookedGpt2 load(Gpt2Config cfg, StateDict raw, ProcessingOptions options,
            Supplier<Gpt2Tokenizer> tokenizer, Backend backend) {
        WeightProcessing.Steps steps = WeightProcessing.Steps.of(cfg, options);
        boolean processing = steps.foldLn() || steps.centerWritingWeights() || steps.centerUnembed();
        MemoryBudget.check(cfg, processing, raw.source(), MemoryBudget.available());
        try (Backends.Scope on = Backends.use(backend)) {
            return assemble(cfg, raw, steps, tokenizer, backend);
        } catch (OutOfMemoryError e) { // our calloc's refusal, or the heap: one line with the numbers instead
            throw new IllegalStateException(raw.source() + ": out of memory while loading " + cfg.modelName() + " ("
                    + e.getMessage() + "); it needs about " + MemoryBudget.modelBytes(cfg) / 1_000_000 + " MB for its "
                    + "weights", e);
        } catch (InternalError e) { // the JDK's SIGBUS: a mapped page of the file vanished (truncated while loading)
            throw new IllegalStateException(raw.source() + ": the checkpoint changed while it was being loaded ("
                    + e.getMessage() + "); load it again once it is complete", e);
        }
    }

    private static HookedGpt2 assemble(Gpt2Config cfg, StateDict raw, WeightProcessing.Steps steps,
            Supplier<Gpt2Tokenizer> tokenizer, Backend backend) {
        Gpt2Config out = steps.out();
        StateDict sd = raw.copy(raw.source());
        int d = cfg.dModel();
        steps.embeddings(sd, Arena.ofAuto()); // the processed embeddings are the model's: freed with it
        Tensor wPos = own(sd, "pos_embed.W_pos", cfg.nCtx(), d);
        OwnedWeights.releaseMappedPages(raw, "pos_embed.");
        List<TransformerBlock> blocks = blocks(cfg, steps, raw, sd, backend);
        Unembed unembed;
        LayerNorm lnFinal;
        try (Arena part = Arena.ofShared()) {
            steps.unembedding(sd, part);
            unembed = new Unembed(sd.require("unembed.W_U", d, cfg.dVocab()),
                    own(sd, "unembed.b_U", cfg.dVocab()));
            lnFinal = layerNorm(out, sd, "ln_final");
        }
        Embed embed = new Embed(tokenEmbedding(sd, unembed, cfg), wPos);
        OwnedWeights.releaseMappedPages(raw, "embed.", "unembed.", "ln_final.");
        return new HookedGpt2(backend, out, embed, blocks, lnFinal, unembed, tokenizer);
    }

    /**
     * W_E [d_vocab, d_model]: when it is still tied to W_U (W_U its transpose, neither processed) and the backend
     * gathers rows of the prepared W_U's transpose, that view (the values once); else a copy of its own.
     */
    private static Tensor tokenEmbedding(StateDict sd, Unembed unembed, Gpt2Config cfg) {
        Tensor wE = sd.require("embed.W_E", cfg.dVocab(), cfg.dModel());
        Tensor wU = sd.require("unembed.W_U", cfg.dModel(), cfg.dVocab());
        boolean tied = wU.storage() == wE.storage() && wU.offset() == wE.offset() && wU.stride(0) == wE.stride(1)
                && wU.stride(1) == wE.stride(0);
        Tensor shared = tied ? Backends.current().transposeForGather(unembed.wU()) : null;
        return shared != null ? shared : own(sd, "embed.W_E", cfg.dVocab(), cfg.dModel());
    }

    /**
     * Every block, {@link #BLOCKS_IN_FLIGHT} at a time: processing a block is single-threaded arithmetic, so two
     * blocks keep two cores busy (packing is parallel inside). Each block works on its own keys, so the shared
     * {@code sd} is only read; a block's intermediates are freed and its mapped pages released when it is built.
     */
    private static List<TransformerBlock> blocks(Gpt2Config cfg, WeightProcessing.Steps steps, StateDict raw,
            StateDict sd, Backend backend) {
        int n = cfg.nLayers();
        List<TransformerBlock> blocks = new ArrayList<>();
        if (!OwnedWeights.readableByOtherThreads(raw) || n < 2) { // e.g. views of a confined arena: stay here
            for (int l = 0; l < n; l++) {
                blocks.add(buildBlock(cfg, steps, raw, sd, l));
            }
            return blocks;
        }
        ExecutorService pool = Executors.newFixedThreadPool(BLOCKS_IN_FLIGHT,
                Thread.ofPlatform().name("jlens-load-", 1).daemon().factory());
        try {
            List<Future<TransformerBlock>> built = new ArrayList<>();
            for (int l = 0; l < n; l++) {
                int layer = l;
                built.add(pool.submit(() -> {
                    try (Backends.Scope on = Backends.use(backend)) {
                        return buildBlock(cfg, steps, raw, sd, layer);
                    }
                }));
            }
            for (Future<TransformerBlock> f : built) {
                blocks.add(f.get());
            }
            return blocks;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + cfg.modelName(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Block {@code layer}: its keys processed into a part arena, prepared, then its mapped pages released. */
    private static TransformerBlock buildBlock(Gpt2Config cfg, WeightProcessing.Steps steps, StateDict raw,
            StateDict sd, int layer) {
        String prefix = "blocks." + layer + ".";
        try (Arena part = Arena.ofShared()) {
            StateDict own = sd.subset(prefix);
            steps.block(own, layer, part);
            return block(cfg, steps.out(), own, layer);
        } finally {
            OwnedWeights.releaseMappedPages(raw, prefix);
        }
    }

    /** Block {@code l} of processed weights in {@code sd}, every tensor it keeps owned by it. */
    private static TransformerBlock block(Gpt2Config cfg, Gpt2Config out, StateDict sd, int l) {
        int d = cfg.dModel();
        int h = cfg.nHeads();
        int e = cfg.dHead();
        String p = "blocks." + l + ".";
        Attention attn = new Attention(sd.require(p + "attn.W_Q", h, d, e), sd.require(p + "attn.W_K", h, d, e),
                sd.require(p + "attn.W_V", h, d, e), own(sd, p + "attn.b_Q", h, e), own(sd, p + "attn.b_K", h, e),
                own(sd, p + "attn.b_V", h, e), sd.require(p + "attn.W_O", h, e, d), own(sd, p + "attn.b_O", d),
                cfg.useAttnResult());
        Mlp mlp = cfg.attnOnly() ? null : new Mlp(sd.require(p + "mlp.W_in", d, cfg.dMlp()),
                own(sd, p + "mlp.b_in", cfg.dMlp()), sd.require(p + "mlp.W_out", cfg.dMlp(), d),
                own(sd, p + "mlp.b_out", d));
        LayerNorm ln2 = cfg.attnOnly() ? null : layerNorm(out, sd, p + "ln2");
        return new TransformerBlock(out, layerNorm(out, sd, p + "ln1"), ln2, attn, mlp);
    }

    /** The weight under key, owned by the model and resident where the current (the model's) backend reads it. */
    private static Tensor own(StateDict sd, String key, int... shape) {
        return Backends.current().resident(OwnedWeights.own(sd.require(key, shape)));
    }

    /** LN reads {@code name.w} and {@code name.b}; LNPre has no weights; none gives null. */
    private static LayerNorm layerNorm(Gpt2Config cfg, StateDict sd, String name) {
        return switch (cfg.normalizationType()) {
            case LN -> new LayerNorm(own(sd, name + ".w", cfg.dModel()), own(sd, name + ".b", cfg.dModel()),
                    cfg.eps());
            case LN_PRE -> new LayerNorm(null, null, cfg.eps());
            case NONE -> null;
        };
    }
}
