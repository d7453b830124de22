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
    private final List<String> types = new ArrayList<>(); // PTX parameter types, as Kernel.params() spells them

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
        return add("b8[" + Layout.STRUCT.byteSize() + "]", Layout.of(t, arena));
    }

    /** An {@code int}. */
    KernelArgs i32(int v) {
        return add("u32", arena.allocateFrom(JAVA_INT, v));
    }

    /** A {@code long long} or a raw device pointer. */
    KernelArgs i64(long v) {
        return add("u64", arena.allocateFrom(JAVA_LONG, v));
    }

    /** A {@code float}. */
    KernelArgs f32(float v) {
        return add("f32", arena.allocateFrom(JAVA_FLOAT, v));
    }

    private KernelArgs add(String type, MemorySegment value) {
        types.add(type);
        values.add(value);
        return this;
    }

    /** The parameter types so far, spelled as {@link Kernel#params()}. */
    String signature() {
        return String.join(" ", types);
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
