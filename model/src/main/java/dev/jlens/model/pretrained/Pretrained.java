// from_pretrained: a model by name (built-in, Hugging Face repo id or alias, or folder), processed as TL does.
package dev.jlens.model.pretrained;

import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.builtin.BuiltinModels;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.tokenizer.Gpt2Tokenizer;
import dev.jlens.model.weights.HfCache;
import dev.jlens.model.weights.HfCheckpoint;
import dev.jlens.model.weights.HfGpt2Keys;
import dev.jlens.model.weights.HubDownloader;
import dev.jlens.model.weights.NonFiniteScan;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * TransformerLens' {@code HookedTransformer.from_pretrained} for GPT-2. A name resolves, in order, to a built-in
 * model ({@link BuiltinModels#names()}), an existing folder (a TL config.json and one .pth, loaded unprocessed by
 * {@link TorchModel}; else config.json and safetensors or pytorch_model.bin), or a Hugging Face repo id or alias
 * ("gpt2", "gpt2-small", "openai-community/gpt2", "distilgpt2", ...) found in the Hugging Face cache or downloaded
 * into it. Weights are processed with {@link ProcessingOptions} (TL's defaults unless told otherwise)
 * part by part straight from the memory-mapped checkpoint into their prepared form ({@link Gpt2Assembly#load}), and
 * the checkpoint is closed before the model is returned.
 */
public final class Pretrained {
    private static final Map<String, String> TL_ALIASES = Map.of("gpt2-small", "gpt2");

    private Pretrained() {}

    /** {@code name} with TL's default processing (fold_ln, center_writing_weights, center_unembed, ...). */
    public static HookedGpt2 load(String name) {
        return load(name, ProcessingOptions.defaults());
    }

    /** {@code name} with the given processing ({@link ProcessingOptions#none()} gives the HF model's logits). */
    public static HookedGpt2 load(String name, ProcessingOptions processing) {
        return load(name, processing, System.getenv());
    }

    /** As {@link #load(String, ProcessingOptions)} with the environment given (HF_HOME, HF_ENDPOINT, HF_TOKEN). */
    public static HookedGpt2 load(String name, ProcessingOptions processing, Map<String, String> env) {
        return load(name, processing, env, Backends.current());
    }

    /**
     * {@code name} with its weights prepared for {@code backend}, which every run of the model then computes on
     * ({@link HookedGpt2#backend()}); environment as {@link #load(String, ProcessingOptions, Map)}.
     */
    public static HookedGpt2 load(String name, ProcessingOptions processing, Map<String, String> env,
            Backend backend) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no model name given; built-in: " + BuiltinModels.names()
                    + ", or a Hugging Face id such as gpt2, or a folder with config.json and model.safetensors");
        }
        if (BuiltinModels.contains(name)) {
            Gpt2Config cfg = BuiltinModels.config(name);
            return Gpt2Assembly.load(cfg, BuiltinModels.stateDict(name), applicable(processing, cfg),
                    Gpt2Tokenizer::gpt2, backend);
        }
        Path folder = Path.of(name);
        if (Files.isDirectory(folder) && TorchModel.isTorchFolder(folder)) {
            return TorchModel.loadFolder(folder, processing, backend);
        }
        if (!Files.isDirectory(folder)) {
            folder = fromHub(TL_ALIASES.getOrDefault(name, name), env);
        }
        try (HfCheckpoint checkpoint = HfCheckpoint.open(folder)) {
            NonFiniteScan.warn(HfGpt2Keys.withoutBuffers(checkpoint.tensors()), folder.toString());
            StateDict sd = HfGpt2Keys.toTransformerLens(checkpoint.tensors(), checkpoint.config(), folder.toString());
            Path files = folder;
            Gpt2Config cfg = checkpoint.config();
            return Gpt2Assembly.load(cfg, sd, applicable(processing, cfg), () -> tokenizer(files, cfg), backend);
        }
    }

    private static Path fromHub(String repoId, Map<String, String> env) {
        if (!repoId.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")) {
            throw new IllegalArgumentException("unknown model '" + repoId + "': not a built-in model "
                    + BuiltinModels.names() + ", not a folder, and not a Hugging Face repo id");
        }
        HfCache cache = HfCache.fromEnv(env, Path.of(System.getProperty("user.home")));
        return cache.snapshot(HfCache.canonicalRepoId(repoId), "main")
                .orElseGet(() -> new HubDownloader(cache, env).download(repoId, "main"));
    }

    /** The options without the LayerNorm steps when the model has no LayerNorm (nothing to fold or centre for). */
    static ProcessingOptions applicable(ProcessingOptions o, Gpt2Config cfg) {
        if (cfg.normalizationType() != NormalizationType.NONE) {
            return o;
        }
        return new ProcessingOptions(false, false, o.centerUnembed(), o.foldValueBiases(),
                o.refactorFactoredAttnMatrices());
    }

    /** tokenizer.json, else vocab.json + merges.txt, else the built-in GPT-2 vocabulary when the sizes agree. */
    static Gpt2Tokenizer tokenizer(Path folder, Gpt2Config cfg) {
        if (Files.isRegularFile(folder.resolve("tokenizer.json"))) {
            return Gpt2Tokenizer.fromTokenizerJson(folder.resolve("tokenizer.json"));
        }
        if (Files.isRegularFile(folder.resolve("vocab.json")) && Files.isRegularFile(folder.resolve("merges.txt"))) {
            return Gpt2Tokenizer.fromFiles(folder.resolve("vocab.json"), folder.resolve("merges.txt"));
        }
        return cfg.dVocab() == Gpt2Config.preset("gpt2").dVocab() ? Gpt2Tokenizer.gpt2() : null;
    }
}
