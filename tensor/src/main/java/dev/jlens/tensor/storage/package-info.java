/**
 * Storages behind tensors: heap float arrays, off-heap and memory-mapped segments (F32, F16, BF16; a mapping remembers
 * its {@link dev.jlens.tensor.storage.FileRegion}), rows of another storage shifted on read
 * ({@link dev.jlens.tensor.storage.RowShiftedStorage}), device memory owned by a device backend
 * ({@link dev.jlens.tensor.storage.DeviceMemory}).
 * May import: {@code dev.jlens.tensor} (DType, Device), the JDK.
 */
package dev.jlens.tensor.storage;
