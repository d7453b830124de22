// float32 storage in accelerator memory (a CUDA device allocation); host access goes through explicit copies.
package dev.jlens.tensor.storage;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Device;

/**
 * Elements resident on an accelerator. {@link #get} and {@link #set} copy one element across the bus each
 * (fine for {@code item()}, slow in loops); {@code Tensor.contiguous()} and {@code toArray()} download the span a
 * view reaches in one copy.
 */
public final class DeviceStorage implements Storage {
    private final DeviceMemory memory;

    /** Wraps a device block; the block's owner frees it. */
    public DeviceStorage(DeviceMemory memory) {
        this.memory = memory;
    }

    /** The device block (address and transfers). */
    public DeviceMemory memory() {
        return memory;
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long size() {
        return memory.size();
    }

    @Override
    public Device device() {
        return memory.device();
    }

    @Override
    public float get(long index) {
        float[] one = new float[1];
        memory.download(index, one, 0, 1);
        return one[0];
    }

    @Override
    public void set(long index, float value) {
        memory.upload(index, new float[] {value}, 0, 1);
    }
}
