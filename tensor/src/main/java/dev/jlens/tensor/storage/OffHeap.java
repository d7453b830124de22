// Native memory for weights: calloc'd outside the Java heap and outside -XX:MaxDirectMemorySize, freed with free(3).
package dev.jlens.tensor.storage;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zero-filled native memory from the C library (calloc), so a model's weights depend neither on {@code -Xmx} nor on
 * {@code -XX:MaxDirectMemorySize} (which caps {@code Arena.allocate} and defaults to the heap size). A block is freed
 * when its arena closes: {@link Arena#ofAuto()} when the last segment of it becomes unreachable, a shared or
 * confined arena when closed. {@link #liveBytes()} counts what is allocated and not yet freed, so tests and the
 * loader can measure peaks. Needs {@code --enable-native-access=ALL-UNNAMED} (the JDK warns without it).
 */
public final class OffHeap {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout SIZE_T = LINKER.canonicalLayouts().get("size_t"); // also holds a pointer here
    private static final MethodHandle CALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("calloc").orElseThrow(),
            FunctionDescriptor.of(SIZE_T, SIZE_T, SIZE_T)); // void *calloc(size_t n, size_t size)
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(SIZE_T)); // void free(void *p)
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();

    private OffHeap() {}

    /**
     * {@code bytes} zeroed bytes, 16-byte aligned, freed when {@code arena} closes.
     *
     * @param what names the allocation in the error when the system refuses it (e.g. "blocks.3.mlp.W_in packed")
     * @throws OutOfMemoryError naming {@code what}, the bytes asked for and the bytes jlens already holds
     */
    public static MemorySegment allocate(long bytes, Arena arena, String what) {
        long address;
        try {
            address = (long) CALLOC.invokeExact(1L, Math.max(1L, bytes));
        } catch (Throwable t) {
            throw new IllegalStateException("calloc failed for " + what + ": " + t, t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes off the Java heap for " + what
                    + " (jlens already holds " + LIVE.get() + " bytes of weights); free memory or use a smaller model");
        }
        long live = LIVE.addAndGet(bytes);
        PEAK.accumulateAndGet(live, Math::max);
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> release(s.address(), bytes));
    }

    /**
     * {@code bytes} zeroed bytes freed when {@code owner} becomes unreachable. The segment has the global scope, so
     * kernels read it without a liveness check per access; the owner must therefore stay reachable while the
     * segment is read ({@link java.lang.ref.Reference#reachabilityFence} at the end of a reader).
     */
    public static MemorySegment allocateFor(Object owner, long bytes, String what) {
        MemorySegment scoped = allocate(bytes, Arena.global(), what); // global: never freed by an arena
        long address = scoped.address();
        CLEANER.register(owner, () -> release(address, bytes));
        return scoped;
    }

    /** Bytes allocated here and not yet freed. */
    public static long liveBytes() {
        return LIVE.get();
    }

    /** The most bytes live at once since the last {@link #resetPeak}. */
    public static long peakBytes() {
        return PEAK.get();
    }

    /** Starts a new peak measurement from the bytes live now. */
    public static void resetPeak() {
        PEAK.set(LIVE.get());
    }

    private static void release(long address, long bytes) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed: " + t, t);
        }
        LIVE.addAndGet(-bytes);
    }
}
