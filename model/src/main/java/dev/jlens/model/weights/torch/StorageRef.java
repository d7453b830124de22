// A storage a pickle refers to by persistent id: ('storage', torch.FloatStorage, key, location, numel).
package dev.jlens.model.weights.torch;

/**
 * One storage of the checkpoint, checked to fit its zip entry {@code data/<key>}.
 *
 * @param key        the storage key (the entry's name under data/)
 * @param dtype      element type
 * @param numel      elements
 * @param dataOffset file offset of the first element
 */
record StorageRef(String key, TorchDType dtype, long numel, long dataOffset) {}
