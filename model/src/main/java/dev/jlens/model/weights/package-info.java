/**
 * Weights: the TransformerLens-keyed state dict, safetensors (memory-mapped), Hugging Face folders, cache and hub,
 * the HF-to-TL key map, and weight processing. May import: {@code dev.jlens.model.config},
 * {@code dev.jlens.model.progress}, tensor, the JDK, the JSON library.
 *
 * <p>Files and where they come from: {@link dev.jlens.model.weights.SafeTensorsFile} memory-maps one safetensors
 * file (validated header, tensors as views over {@code SegmentStorage}, F16/BF16 widened on read) and
 * {@link dev.jlens.model.weights.SafeTensorsWriter} writes one; {@link dev.jlens.model.weights.ShardedSafeTensors}
 * follows {@code model.safetensors.index.json}; {@link dev.jlens.model.weights.HfConfig} turns an HF
 * {@code config.json} into a {@code Gpt2Config}; {@link dev.jlens.model.weights.HfCheckpoint} opens a model folder
 * and returns its tensors under the HF names as stored; {@link dev.jlens.model.weights.HfCache} finds snapshots in
 * the huggingface_hub cache (alias table: gpt2, gpt2-medium, gpt2-large, gpt2-xl -> openai-community/*,
 * distilgpt2 -> distilbert/distilgpt2); {@link dev.jlens.model.weights.HubDownloader} fills that cache from the hub
 * (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE) with resume and sha256 checks. Environment maps are passed in, so tests
 * never depend on the machine's. A folder's pytorch_model.bin is read
 * by {@link dev.jlens.model.weights.torch.TorchCheckpoint}; {@link dev.jlens.model.weights.TlConfig} reads a
 * TransformerLens config JSON and {@link dev.jlens.model.weights.TlKeys} checks a TL-named state dict.
 */
package dev.jlens.model.weights;
