// The real CudaContext: a device's primary context, the stream every op is queued on, its modules and cuBLAS.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlens.tensor.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The device side of the cuda backend. All work goes onto one blocking stream in issue order, so kernels, cuBLAS
 * calls, copies and frees need no events; host reads synchronize the stream. Memory comes from the stream-ordered
 * allocator (cuMemAllocAsync), so a buffer freed by the GC's cleaner is reused only after the work queued before
 * the free. Each calling thread makes the context current once.
 */
final class DriverContext implements CudaContext {
    private final Driver driver;
    private final Device device;
    private final String name;
    private final MemorySegment context;
    private final MemorySegment stream;
    private final Cublas cublas;
    private final Map<Kernel, MemorySegment> functions = new EnumMap<>(Kernel.class);
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final boolean syncLaunches = Boolean.getBoolean("jlens.cuda.syncLaunches");

    /** Initializes the driver and device {@code ordinal}, loads every PTX module and creates the cuBLAS handle. */
    DriverContext(Driver driver, int ordinal) {
        this.driver = driver;
        driver.init();
        int count = driver.deviceCount();
        if (ordinal >= count) {
            throw new IllegalStateException("CUDA device " + ordinal + " requested but " + count + " present");
        }
        int dev = driver.device(ordinal);
        this.device = new Device("cuda", ordinal);
        this.name = driver.deviceName(dev);
        this.context = driver.primaryContext(dev);
        makeCurrent();
        driver.keepPoolMemory(dev);
        this.stream = driver.createStream();
        Map<String, MemorySegment> modules = new HashMap<>();
        for (Kernel k : Kernel.values()) {
            MemorySegment module = modules.computeIfAbsent(k.file(), f -> driver.loadModule(Ptx.load(f)));
            functions.put(k, driver.function(module, k.entry()));
        }
        this.cublas = Cublas.create(stream);
    }

    @Override
    public Device device() {
        return device;
    }

    /** "NVIDIA H100 80GB HBM3 (cuda:0), cuBLAS libcublas.so.13, fp32". */
    @Override
    public String describe() {
        return name + " (" + device + "), " + cublas.describe();
    }

    @Override
    public void gemm(GemmArgs g, String shapes) {
        makeCurrent();
        cublas.gemm(g, shapes);
    }

    /** Binds the context to the calling thread (once per thread). */
    void makeCurrent() {
        if (!current.get()) {
            driver.setCurrent(context);
            current.set(true);
        }
    }

    /**
     * Stream-ordered. When the device is full, collects garbage once (dead tensors' cleaners free their buffers) and
     * retries; then throws naming the bytes requested and free.
     */
    @Override
    public long alloc(long bytes) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            int code = driver.allocAsync(out, bytes, stream);
            if (code == CudaException.OUT_OF_MEMORY) {
                System.gc();
                sleepForCleaners();
                synchronize();
                code = driver.allocAsync(out, bytes, stream);
            }
            if (code == CudaException.OUT_OF_MEMORY) {
                long[] info = driver.memInfo();
                throw new CudaException(CudaException.outOfMemory(bytes, info[0], info[1]), code);
            }
            driver.check("cuMemAllocAsync(" + CudaException.bytes(bytes) + ")", code);
            return out.get(JAVA_LONG, 0);
        }
    }

    @Override
    public void free(long address) {
        makeCurrent();
        driver.freeAsync(address, stream);
    }

    @Override
    public void upload(long dst, MemorySegment src, long bytes) {
        makeCurrent();
        driver.copyHtoD(dst, src, bytes, stream);
        synchronize(); // the source is a temporary native buffer; keep the copy simple and safe
    }

    @Override
    public void download(MemorySegment dst, long src, long bytes) {
        makeCurrent();
        driver.copyDtoH(dst, src, bytes, stream);
        synchronize();
    }

    @Override
    public void memset32(long dst, int bits, long count) {
        makeCurrent();
        driver.memset32(dst, bits, count, stream);
    }

    /** With {@code -Djlens.cuda.syncLaunches=true} an error while the kernel runs also names it. */
    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args, String shapes) {
        CudaContext.checkSignature(kernel, args);
        makeCurrent();
        int code = driver.launch(functions.get(kernel), config, stream, args.params());
        Reference.reachabilityFence(args); // frees of its tensors now queue after the kernel
        if (code == 0 && syncLaunches) {
            code = driver.trySynchronize(stream);
        }
        if (code != 0) {
            throw new CudaException(CudaException.launchFailed(kernel.entry(), config, shapes, driver.describe(code)),
                    code);
        }
    }

    /** Waits for all queued work. */
    void synchronize() {
        driver.synchronize(stream);
    }

    private static void sleepForCleaners() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
