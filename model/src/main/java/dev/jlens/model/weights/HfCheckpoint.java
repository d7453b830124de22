// A Hugging Face GPT-2 model folder as transformers saves it: config.json plus model.safetensors, or
// model.safetensors.index.json and its shards, else pytorch_model.bin (a torch.save zip). Mirrors the file lookup
// of PreTrainedModel.from_pretrained (safetensors first, then the single PyTorch file; no sharded .bin). Tensor
// names stay as stored; HfGpt2Keys maps them to TransformerLens keys.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.torch.TorchCheckpoint;
import dev.jlens.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The config and raw tensors of one HF GPT-2 checkpoint folder. Names are exactly as in the file
 * ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, maybe with a {@code transformer.} prefix and an
 * {@code lm_head.weight}). Tensors are memory-mapped views, valid until {@link #close}.
 */
public final class HfCheckpoint implements AutoCloseable {
    /** The single-file weights name transformers writes. */
    public static final String WEIGHTS = "model.safetensors";
    /** The PyTorch weights name older transformers writes (read through the whitelist unpickler). */
    public static final String TORCH_WEIGHTS = "pytorch_model.bin";

    private static final List<String> OTHER_FORMATS = List.of("pytorch_model.bin.index.json", "tf_model.h5",
            "flax_model.msgpack");

    private final Path folder;
    private final Gpt2Config config;
    private final Map<String, Tensor> tensors;
    private final Runnable closer; // unmaps the weight files

    private HfCheckpoint(Path folder, Gpt2Config config, Map<String, Tensor> tensors, Runnable closer) {
        this.folder = folder;
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.closer = closer;
    }

    /** Opens {@code folder}; the model is named as {@link HfConfig#read(Path)} names it. */
    public static HfCheckpoint open(Path folder) {
        return open(folder, null);
    }

    /** Opens {@code folder}, naming the model {@code modelName} (e.g. the repo id of a cache snapshot) if not null. */
    public static HfCheckpoint open(Path folder, String modelName) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": no such folder");
        }
        Path configJson = folder.resolve("config.json");
        if (!Files.isRegularFile(configJson)) {
            throw new IllegalArgumentException(folder + ": no config.json; not a Hugging Face model folder (it holds "
                    + listing(folder) + ")");
        }
        Gpt2Config config = HfConfig.read(configJson, modelName);
        Path single = folder.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            SafeTensorsFile file = SafeTensorsFile.open(single);
            return new HfCheckpoint(folder, config, file.tensors(), file::close);
        }
        Path index = folder.resolve(ShardedSafeTensors.INDEX);
        if (Files.isRegularFile(index)) {
            ShardedSafeTensors sharded = ShardedSafeTensors.open(index);
            return new HfCheckpoint(folder, config, sharded.tensors(), sharded::close);
        }
        Path torch = folder.resolve(TORCH_WEIGHTS);
        if (Files.isRegularFile(torch)) {
            TorchCheckpoint checkpoint = TorchCheckpoint.open(torch);
            return new HfCheckpoint(folder, config, checkpoint.tensors(), checkpoint::close);
        }
        for (String other : OTHER_FORMATS) {
            if (Files.exists(folder.resolve(other))) {
                throw new IllegalArgumentException(folder + ": holds " + other + " but no " + WEIGHTS + "; only "
                        + "safetensors and " + TORCH_WEIGHTS + " are supported (download model.safetensors, or "
                        + "convert with transformers: model.save_pretrained(dir, safe_serialization=True))");
            }
        }
        throw new IllegalArgumentException(folder + ": no " + WEIGHTS + ", " + ShardedSafeTensors.INDEX + " or "
                + TORCH_WEIGHTS + " (it holds " + listing(folder) + ")");
    }

    /**
     * Whether {@code folder} holds config.json and safetensors weights (single or an index whose shards exist). A
     * cache snapshot with only pytorch_model.bin counts as incomplete, so the hub's safetensors are fetched as
     * before (the same tensors, mapped without a pickle).
     */
    public static boolean isComplete(Path folder) {
        if (!Files.isRegularFile(folder.resolve("config.json"))) {
            return false;
        }
        if (Files.isRegularFile(folder.resolve(WEIGHTS))) {
            return true;
        }
        Path index = folder.resolve(ShardedSafeTensors.INDEX);
        return Files.isRegularFile(index)
                && ShardedSafeTensors.shardNames(index).stream().allMatch(s -> Files.isRegularFile(folder.resolve(s)));
    }

    /** The folder this was opened from. */
    public Path folder() {
        return folder;
    }

    /** The model's shape, from config.json. */
    public Gpt2Config config() {
        return config;
    }

    /** The tensors by their stored HF names (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Unmaps the weight files. */
    @Override
    public void close() {
        closer.run();
    }

    private static String listing(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "nothing" : names.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
