// One allocation in accelerator memory, as a device backend exposes it to tensor code: address, size, transfers.
package dev.jlens.tensor.storage;

import dev.jlens.tensor.Device;

/**
 * A block of float32 elements in device memory, owned by a device backend (the cuda backend implements it with
 * the CUDA driver API). Tensor code never dereferences the address; it only asks for transfers.
 */
public interface DeviceMemory {
    /** The device the block lives on, e.g. cuda:0. */
    Device device();

    /** The device address of element 0 (a CUdeviceptr for CUDA). */
    long address();

    /** Number of float32 elements in the block. */
    long size();

    /** Copies elements [from, from + count) of the block into {@code dst[dstOffset...]}. */
    void download(long from, float[] dst, int dstOffset, int count);

    /** Copies {@code src[srcOffset, srcOffset + count)} into elements [to, to + count) of the block. */
    void upload(long to, float[] src, int srcOffset, int count);
}
