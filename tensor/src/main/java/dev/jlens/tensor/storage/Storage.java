// The memory behind a tensor: a flat run of elements on one device, addressed by element index.
package dev.jlens.tensor.storage;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Device;

/**
 * Flat element storage. Tensors are views over a storage (shape, strides, offset). Implementations:
 * {@link HeapStorage} (float[] — what compute kernels write), {@link SegmentStorage} (off-heap or
 * memory-mapped, any {@link DType}), {@link RowShiftedStorage} (read-only rows of another storage, each shifted by its
 * own constant, e.g. a centred W_E read from its checkpoint), {@link DeviceStorage} (accelerator memory a device
 * backend owns).
 */
public interface Storage {
    /** Element type as stored. */
    DType dtype();

    /** Number of elements. */
    long size();

    /** Where the elements live. */
    Device device();

    /** Element {@code index} widened to float. */
    float get(long index);

    /** Writes element {@code index}; read-only storages throw {@link UnsupportedOperationException}. */
    void set(long index, float value);
}
