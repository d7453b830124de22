/**
 * PyTorch checkpoints: {@link dev.jlens.model.weights.torch.TorchCheckpoint} reads a {@code torch.save} file (the
 * zip format, or the legacy format of PyTorch before 1.6) holding a state dict, through a whitelist unpickler that
 * builds data only (ordered dicts, tensor rebuild calls, storages of float32 / float16 / bfloat16 / int64 / bool /
 * uint8) and refuses every other global by name, with every size bounded by the file. Tensors are views of the
 * memory-mapped file. May import: tensor, the JDK ({@code dev.jlens.model.weights} imports this package, for a
 * Hugging Face folder's pytorch_model.bin).
 */
package dev.jlens.model.weights.torch;
