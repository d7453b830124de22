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
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Wires components from weights; the weights' keys and shapes are TransformerLens' (see {@link StateDict}).
 *
 * <p>Each weight ends up once, in the form its kernel reads: matrices prepared by the backend (packed panels off
 * the heap on the CPU, device memory on CUDA), biases and LayerNorm weights on the heap. A tied W_E is read from the
 * prepared W_U; another embedding table of a mapped checkpoint is read from the model's own mapping of its bytes
 * (centred on read when processed, see {@link WeightProcessing.Steps#embeddings}), so only the rows a run gathers
 * become resident; else it is copied off the heap. The input may be views of a memory-mapped checkpoint:
 * {@link #load} releases each part's mapped pages once the part is built, so the checkpoint can close after loading
 * and the resident memory of a load stays near the model's own size.
 */
public final class Gpt2Assembly {
    /**
     * Parts (the unembedding, the embeddings, each block) processed at once: each holds its own intermediates, so this
     * bounds the transient memory (the unembedding's and one sublayer's at worst).
     */
    static final int PARTS_IN_FLIGHT = 2;

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
     * TL's load_and_process_state_dict, streamed: the unembedding, the embeddings and each block are processed
     * ({@link WeightProcessing.Steps}) and prepared as parts, {@link #PARTS_IN_FLIGHT} at a time, and a part's
     * intermediates are freed as soon as it is built, so the transient memory is about two parts (the largest is the
     * unembedding).
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
        boolean embeddingCopied = OwnedWeights.copiesOffHeap(raw.require("embed.W_E", cfg.dVocab(), cfg.dModel()));
        MemoryBudget.check(cfg, processing, embeddingCopied, raw.source(), MemoryBudget.available());
        try (Backends.Scope on = Backends.use(backend)) {
            return assemble(cfg, raw, steps, tokenizer, backend);
        } catch (OutOfMemoryError e) { // our calloc's refusal, or the heap: one line with the numbers instead
            throw new IllegalStateException(raw.source() + ": out of memory while loading " + cfg.modelName() + " ("
                    + e.getMessage() + "); it needs about " + MemoryBudget.modelBytes(cfg, embeddingCopied) / 1_000_000
                    + " MB for its weights", e);
        } catch (InternalError e) { // the JDK's SIGBUS: a mapped page of the file vanished (truncated while loading)
            throw new IllegalStateException(raw.source() + ": the checkpoint changed while it was being loaded ("
                    + e.getMessage() + "); load it again once it is complete", e);
        }
    }

    private static HookedGpt2 assemble(Gpt2Config cfg, StateDict raw, WeightProcessing.Steps steps,
            Supplier<Gpt2Tokenizer> tokenizer, Backend backend) {
        StateDict sd = raw.copy(raw.source());
        boolean inline = !OwnedWeights.readableByOtherThreads(raw); // e.g. views of a confined arena: stay here
        try (LoadParts parts = new LoadParts(PARTS_IN_FLIGHT, inline, backend, cfg.modelName())) {
            // the largest part first, so that the blocks fill the other thread while it runs
            Future<Head> head = parts.submit(() -> { // W_U's mapped pages go as soon as it is prepared, not at the end
                Head built = head(cfg, steps, sd.subset("unembed.", "ln_final."));
                OwnedWeights.releaseMappedPages(raw, "unembed.", "ln_final.");
                return built;
            });
            Future<StateDict> embeddings = parts.submit(() -> {
                StateDict part = sd.subset("embed.", "pos_embed.");
                steps.embeddings(part); // centred tables keep the rows of a mapping of their own, untouched yet
                OwnedWeights.releaseMappedPages(raw, "embed.", "pos_embed."); // the pages the means were read from
                return part;
            });
            List<Future<TransformerBlock>> built = new ArrayList<>();
            for (int l = 0; l < cfg.nLayers(); l++) {
                int layer = l;
                built.add(parts.submit(() -> buildBlock(cfg, steps, raw, sd, layer)));
            }
            StateDict embedded = parts.join(embeddings);
            Tensor wPos = own(embedded, "pos_embed.W_pos", cfg.nCtx(), cfg.dModel());
            OwnedWeights.releaseMappedPages(raw, "pos_embed.");
            List<TransformerBlock> blocks = new ArrayList<>();
            for (Future<TransformerBlock> block : built) {
                blocks.add(parts.join(block));
            }
            Head top = parts.join(head);
            Embed embed = new Embed(tokenEmbedding(embedded, top, cfg), wPos);
            OwnedWeights.releaseMappedPages(raw, "embed.");
            return new HookedGpt2(backend, steps.out(), embed, blocks, top.lnFinal(), top.unembed(), tokenizer);
        }
    }

    /** The model's top: ln_final and the unembedding, and the processed W_U they were built from (for the tie). */
    private record Head(LayerNorm lnFinal, Unembed unembed, Tensor processedWu) {}

    /** ln_final and the unembedding, processed into a part arena (freed once prepared) from their keys in sd. */
    private static Head head(Gpt2Config cfg, WeightProcessing.Steps steps, StateDict sd) {
        try (Arena part = Arena.ofShared()) {
            steps.unembedding(sd, part);
            Tensor wU = sd.require("unembed.W_U", cfg.dModel(), cfg.dVocab());
            Unembed unembed = new Unembed(wU, own(sd, "unembed.b_U", cfg.dVocab()));
            return new Head(layerNorm(steps.out(), sd, "ln_final"), unembed, wU);
        }
    }

    /**
     * W_E [d_vocab, d_model]: when it is still tied to W_U (W_U its transpose, neither processed) and the backend
     * gathers rows of the prepared W_U's transpose, that view (the values once); else a copy of its own.
     */
    private static Tensor tokenEmbedding(StateDict embeddings, Head head, Gpt2Config cfg) {
        Tensor wE = embeddings.require("embed.W_E", cfg.dVocab(), cfg.dModel());
        Tensor wU = head.processedWu(); // compared by identity only: its arena may be closed
        boolean tied = wU.storage() == wE.storage() && wU.offset() == wE.offset() && wU.stride(0) == wE.stride(1)
                && wU.stride(1) == wE.stride(0);
        Tensor shared = tied ? Backends.current().transposeForGather(head.unembed().wU()) : null;
        return shared != null ? shared : own(embeddings, "embed.W_E", cfg.dVocab(), cfg.dModel());
    }

    /**
     * Block {@code layer}, a sublayer at a time: its keys processed into an arena of their own (freed once the sublayer
     * is prepared), so a block's transient is its larger sublayer's. The mapped pages of the checkpoint go as soon as
     * they are read: after processing, or, unprocessed, after the sublayer's weights are prepared.
     */
    private static TransformerBlock buildBlock(Gpt2Config cfg, WeightProcessing.Steps steps, StateDict raw,
            StateDict sd, int layer) {
        int d = cfg.dModel();
        int h = cfg.nHeads();
        int e = cfg.dHead();
        Gpt2Config out = steps.out();
        String p = "blocks." + layer + ".";
        StateDict keys = sd.subset(p);
        Attention attn;
        LayerNorm ln1;
        try (Arena part = Arena.ofShared()) {
            if (steps.attention(keys, layer, part)) { // read; a weight it left as it was is read again when prepared
                OwnedWeights.releaseMappedPages(raw, p + "ln1.", p + "attn.");
            }
            attn = new Attention(keys.require(p + "attn.W_Q", h, d, e), keys.require(p + "attn.W_K", h, d, e),
                    keys.require(p + "attn.W_V", h, d, e), own(keys, p + "attn.b_Q", h, e),
                    own(keys, p + "attn.b_K", h, e), own(keys, p + "attn.b_V", h, e),
                    keys.require(p + "attn.W_O", h, e, d), own(keys, p + "attn.b_O", d), cfg.useAttnResult());
            ln1 = layerNorm(out, keys, p + "ln1");
        } finally {
            OwnedWeights.releaseMappedPages(raw, p + "ln1.", p + "attn.");
        }
        if (cfg.attnOnly()) {
            return new TransformerBlock(out, ln1, null, attn, null);
        }
        try (Arena part = Arena.ofShared()) {
            if (steps.mlp(keys, layer, part)) {
                OwnedWeights.releaseMappedPages(raw, p + "ln2.", p + "mlp.");
            }
            Mlp mlp = new Mlp(keys.require(p + "mlp.W_in", d, cfg.dMlp()), own(keys, p + "mlp.b_in", cfg.dMlp()),
                    keys.require(p + "mlp.W_out", cfg.dMlp(), d), own(keys, p + "mlp.b_out", d));
            return new TransformerBlock(out, ln1, layerNorm(out, keys, p + "ln2"), attn, mlp);
        } finally {
            OwnedWeights.releaseMappedPages(raw, p + "ln2.", p + "mlp.");
        }
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
