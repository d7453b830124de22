// A storage a pickle refers to by persistent id: ('storage', torch.FloatStorage, key, location, numel).
package dev.jlens.model.weights.torch;

/**
 * One storage of the checkpoint as its persistent id names it; {@link Storages} knows where its bytes lie.
 *
 * @param key   the storage key (a zip entry's name under data/, or the legacy format's id)
 * @param dtype element type
 * @param numel elements
 */
record StorageRef(String key, TorchDType dtype, long numel) {}
