// The kernelParams array of cuLaunchKernel: one native slot per argument, in the kernel's parameter order.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code void** kernelParams}: each argument's value in native memory of {@code arena}, and an array of
 * pointers to them. The arena must outlive the cuLaunchKernel call (the driver copies the values at launch).
 * The tensors passed stay reachable as long as this object, so a buffer's cleaner cannot queue its free before
 * the kernel that reads it (see {@link CudaContext#launch}).
 */
final class KernelArgs {
    private final Arena arena;
    private final List<MemorySegment> values = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>(); // kept reachable until the launch is queued

    KernelArgs(Arena arena) {
        this.arena = arena;
    }

    /** A {@code float*}: the device address of element [0, ...] of a device tensor, or 0 for null. */
    KernelArgs tensor(Tensor t) {
        if (t != null) {
            tensors.add(t);
        }
        return i64(t == null ? 0 : DeviceTensors.address(t));
    }

    /** A tensor's address followed by its {@code Layout} struct (the strided kernels' argument pair). */
    KernelArgs strided(Tensor t) {
        tensor(t);
        values.add(Layout.of(t, arena));
        return this;
    }

    /** An {@code int}. */
    KernelArgs i32(int v) {
        values.add(arena.allocateFrom(JAVA_INT, v));
        return this;
    }

    /** A {@code long long} or a raw device pointer. */
    KernelArgs i64(long v) {
        values.add(arena.allocateFrom(JAVA_LONG, v));
        return this;
    }

    /** A {@code float}. */
    KernelArgs f32(float v) {
        values.add(arena.allocateFrom(JAVA_FLOAT, v));
        return this;
    }

    /** The {@code void*[]} for cuLaunchKernel. */
    MemorySegment params() {
        MemorySegment array = arena.allocate(ADDRESS, values.size());
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, values.get(i));
        }
        return array;
    }
}
