// Native memory for weights, outside the Java heap and -XX:MaxDirectMemorySize: mmap'd when large (Linux), else calloc.
package dev.jlens.tensor.storage;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zero-filled native memory, so a model's weights depend neither on {@code -Xmx} nor on
 * {@code -XX:MaxDirectMemorySize} (which caps {@code Arena.allocate} and defaults to the heap size). On Linux a block
 * of at least {@link #MAP_MIN} bytes is its own anonymous mapping (mmap, munmap), so a load's transient weights go back
 * to the system when freed; from calloc, glibc kept 60-100 MB of them in its per-thread arenas at the peak of a
 * gpt2-medium load. Smaller blocks, and all blocks elsewhere, come from calloc and free. A block is freed
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
    /** Blocks from this size on are mapped on their own (Linux). */
    static final long MAP_MIN = 1 << 20;
    // void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
    private static final MethodHandle MMAP = linuxOnly("mmap", FunctionDescriptor.of(SIZE_T, SIZE_T, SIZE_T,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, SIZE_T));
    private static final MethodHandle MUNMAP = linuxOnly("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT, SIZE_T,
            SIZE_T)); // int munmap(void *addr, size_t len)
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20; // Linux's values
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
        boolean mapped = ownMapping(bytes);
        long address;
        try {
            address = mapped ? (long) MMAP.invokeExact(0L, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L)
                    : (long) CALLOC.invokeExact(1L, Math.max(1L, bytes));
        } catch (Throwable t) {
            throw new IllegalStateException((mapped ? "mmap" : "calloc") + " failed for " + what + ": " + t, t);
        }
        if (mapped && address == -1) { // MAP_FAILED
            address = 0;
        }
        if (address == 0) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes off the Java heap for " + what
                    + " (jlens already holds " + LIVE.get() + " bytes of weights); free memory or use a smaller model");
        }
        long live = LIVE.addAndGet(bytes);
        PEAK.accumulateAndGet(live, Math::max);
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> release(s.address(), bytes, mapped));
    }

    /**
     * {@code bytes} zeroed bytes freed when {@code owner} becomes unreachable. The segment has the global scope, so
     * kernels read it without a liveness check per access; the owner must therefore stay reachable while the
     * segment is read ({@link java.lang.ref.Reference#reachabilityFence} at the end of a reader).
     */
    public static MemorySegment allocateFor(Object owner, long bytes, String what) {
        MemorySegment scoped = allocate(bytes, Arena.global(), what); // global: never freed by an arena
        long address = scoped.address();
        boolean mapped = ownMapping(bytes);
        CLEANER.register(owner, () -> release(address, bytes, mapped));
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

    private static void release(long address, long bytes, boolean mapped) {
        try {
            if (mapped) {
                int rc = (int) MUNMAP.invokeExact(address, bytes);
                if (rc != 0) {
                    throw new IllegalStateException("munmap of " + bytes + " bytes failed");
                }
            } else {
                FREE.invokeExact(address);
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException((mapped ? "munmap" : "free") + " failed: " + t, t);
        }
        LIVE.addAndGet(-bytes);
    }

    /** True when a block of {@code bytes} is its own mapping rather than calloc's. */
    private static boolean ownMapping(long bytes) {
        return MMAP != null && bytes >= MAP_MIN;
    }

    /** A downcall to libc's {@code name} on Linux (whose mmap flag values are used here), else null. */
    private static MethodHandle linuxOnly(String name, FunctionDescriptor descriptor) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        return LINKER.defaultLookup().find(name).map(f -> LINKER.downcallHandle(f, descriptor)).orElse(null);
    }
}
