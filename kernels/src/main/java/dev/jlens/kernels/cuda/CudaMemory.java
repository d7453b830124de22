// A device allocation of float32 elements, freed by a Cleaner when its last tensor view becomes unreachable.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.jlens.tensor.Device;
import dev.jlens.tensor.storage.DeviceMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/** {@link DeviceMemory} on a {@link CudaContext}: transfers go through a temporary native buffer. */
final class CudaMemory implements DeviceMemory {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaContext cuda;
    private final long address;
    private final long size;

    /** Allocates {@code size} float32 elements (uninitialized). */
    CudaMemory(CudaContext cuda, long size) {
        this.cuda = cuda;
        this.size = size;
        this.address = cuda.alloc(Math.max(1, size) * Float.BYTES);
        long freed = address; // the cleaning action must not capture this object
        CLEANER.register(this, () -> cuda.free(freed));
    }

    @Override
    public Device device() {
        return cuda.device();
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void download(long from, float[] dst, int dstOffset, int count) {
        checkRange(from, count);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(JAVA_FLOAT, Math.max(1, count));
            cuda.download(host, address + from * Float.BYTES, (long) count * Float.BYTES);
            MemorySegment.copy(host, JAVA_FLOAT, 0, dst, dstOffset, count);
        }
    }

    @Override
    public void upload(long to, float[] src, int srcOffset, int count) {
        checkRange(to, count);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(JAVA_FLOAT, Math.max(1, count));
            MemorySegment.copy(src, srcOffset, host, JAVA_FLOAT, 0, count);
            cuda.upload(address + to * Float.BYTES, host, (long) count * Float.BYTES);
        }
    }

    private void checkRange(long from, int count) {
        if (from < 0 || count < 0 || from + count > size) {
            throw new IndexOutOfBoundsException("device transfer of elements [" + from + ", " + (from + count)
                    + ") outside an allocation of " + size);
        }
    }
}
