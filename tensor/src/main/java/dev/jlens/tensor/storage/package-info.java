/**
 * Storages behind tensors: heap float arrays, off-heap and memory-mapped segments (F32, F16, BF16), device
 * memory owned by a device backend ({@link dev.jlens.tensor.storage.DeviceMemory}).
 * May import: {@code dev.jlens.tensor} (DType, Device), the JDK.
 */
package dev.jlens.tensor.storage;
