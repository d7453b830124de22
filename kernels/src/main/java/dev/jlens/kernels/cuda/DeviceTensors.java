// Moving tensors onto the device and into the layouts the kernels read: upload, dense copies, rows along a dim.
package dev.jlens.kernels.cuda;

import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.DeviceMemory;
import dev.jlens.tensor.storage.DeviceStorage;
import dev.jlens.tensor.storage.HeapStorage;

/**
 * Device tensors are {@link Tensor} views over a {@link DeviceStorage} holding a {@link CudaMemory}. Host inputs are
 * uploaded as the span their view reaches, keeping strides (a broadcast bias uploads D floats, not B*P*D).
 */
final class DeviceTensors {
    private DeviceTensors() {}

    /** A new contiguous device tensor of {@code shape}, uninitialized. */
    static Tensor empty(CudaContext cuda, int... shape) {
        DeviceStorage storage = new DeviceStorage(new CudaMemory(cuda, Shape.numel(shape)));
        return Tensor.view(storage, shape, Shape.contiguousStrides(shape), 0);
    }

    /** True when {@code t}'s elements are in device memory. */
    static boolean onDevice(Tensor t) {
        return t.storage() instanceof DeviceStorage;
    }

    /** {@code t} when it is on the device; otherwise a device view with the same shape and strides (one upload). */
    static Tensor onDevice(CudaContext cuda, Tensor t) {
        if (onDevice(t)) {
            return t;
        }
        Tensor host = t.storage() instanceof HeapStorage ? t : t.contiguous(); // F16/BF16 segments widen to F32
        if (host.numel() == 0) {
            return empty(cuda, host.shape());
        }
        long[] span = Shape.span(host.shape(), host.strides(), host.offset());
        int n = Math.toIntExact(span[1] - span[0] + 1);
        CudaMemory memory = new CudaMemory(cuda, n);
        memory.upload(0, host.heapArray(), (int) span[0], n);
        return Tensor.view(new DeviceStorage(memory), host.shape(), host.strides(), (int) (host.offset() - span[0]));
    }

    /** A contiguous device tensor with {@code t}'s values: {@code t} itself when it already is one. */
    static Tensor dense(CudaContext cuda, Tensor t) {
        Tensor d = onDevice(cuda, t);
        if (d.isContiguous()) {
            return d;
        }
        Tensor out = empty(cuda, d.shape());
        Elementwise.copy(cuda, out, d);
        return out;
    }

    /** {@code t} with {@code dim} moved last, as contiguous device rows [rest..., n]. */
    static Tensor rowsAlong(CudaContext cuda, Tensor t, int dim) {
        return dense(cuda, t.movedim(dim, -1));
    }

    /** The device address of {@code t}'s element [0, ...]. */
    static long address(Tensor t) {
        DeviceMemory memory = ((DeviceStorage) t.storage()).memory();
        return memory.address() + (long) t.offset() * Float.BYTES;
    }
}
