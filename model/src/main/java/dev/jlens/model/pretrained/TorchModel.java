// A PyTorch state dict plus a TransformerLens config: HookedTransformer(cfg) followed by load_state_dict, in Java.
package dev.jlens.model.pretrained;

import dev.jlens.model.Gpt2Assembly;
import dev.jlens.model.HookedGpt2;
import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.HfGpt2Keys;
import dev.jlens.model.weights.NonFiniteScan;
import dev.jlens.model.weights.ProcessingOptions;
import dev.jlens.model.weights.StateDict;
import dev.jlens.model.weights.TlConfig;
import dev.jlens.model.weights.TlKeys;
import dev.jlens.model.weights.torch.TorchCheckpoint;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads a {@code torch.save} state dict in TransformerLens naming ({@code embed.W_E}, {@code blocks.0.attn.W_Q},
 * ...) or Hugging Face GPT-2 naming ({@code wte.weight}, ...) with the model shape of a TL config JSON; with
 * {@link ProcessingOptions#none()} the model computes what {@code model.load_state_dict} gives. A folder may hold
 * the two (config.json with TL fields and one {@code .pth} or {@code .pt}) plus a tokenizer (tokenizer.json, or
 * vocab.json + merges.txt).
 */
public final class TorchModel {
    private TorchModel() {}

    /** True when {@code folder} holds a TL config.json (it has d_model, which Hugging Face configs lack). */
    public static boolean isTorchFolder(Path folder) {
        Path config = folder.resolve("config.json");
        return Files.isRegularFile(config) && TlConfig.isTlConfig(config);
    }

    /** The model in {@code folder} (a TL config.json and one .pth or .pt), processed, prepared for {@code backend}. */
    public static HookedGpt2 loadFolder(Path folder, ProcessingOptions processing, Backend backend) {
        List<Path> pth = checkpoints(folder);
        if (pth.size() != 1) {
            throw new IllegalArgumentException(folder + ": expected one .pth or .pt checkpoint beside config.json, "
                    + "found " + pth.stream().map(p -> p.getFileName().toString()).toList());
        }
        return load(pth.getFirst(), folder.resolve("config.json"), processing, backend);
    }

    /**
     * The model of state dict {@code checkpoint} and TL config {@code configJson}; the tokenizer comes from the
     * checkpoint's folder when it holds one, else GPT-2's when d_vocab is 50257, else there is none. The steps of
     * {@code processing} that need a LayerNorm are skipped when the model has none.
     */
    public static HookedGpt2 load(Path checkpoint, Path configJson, ProcessingOptions processing, Backend backend) {
        Gpt2Config cfg = TlConfig.read(configJson);
        try (TorchCheckpoint ck = TorchCheckpoint.open(checkpoint)) {
            String source = checkpoint.toString();
            StateDict sd = TlKeys.isTransformerLens(ck.tensors().keySet()) ? TlKeys.stateDict(ck.tensors(), cfg, source)
                    : HfGpt2Keys.toTransformerLens(ck.tensors(), cfg, source);
            Map<String, Tensor> read = new LinkedHashMap<>(); // not TL's IGNORE buffer, which is -inf by design
            sd.keys().forEach(k -> read.put(k, sd.get(k)));
            NonFiniteScan.warn(read, source);
            Path folder = checkpoint.toAbsolutePath().getParent();
            return Gpt2Assembly.load(cfg, sd, Pretrained.applicable(processing, cfg),
                    () -> Pretrained.tokenizer(folder, cfg), backend);
        }
    }

    private static List<Path> checkpoints(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".pth") || p.toString().endsWith(".pt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
