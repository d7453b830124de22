// FFM binding of the few CUDA driver API calls jlens needs (libcuda.so.1), each checked and turned into CudaException.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * The CUDA driver API through {@code java.lang.foreign}: libcuda.so.1 is the driver's own, stable ABI (every
 * driver since CUDA 4 exports these {@code _v2} symbols), so this works with CUDA 12 and 13 drivers alike and
 * needs no JNI library. Handles (CUcontext, CUstream, CUmodule, CUfunction) are pointers; CUdevice is an int;
 * CUdeviceptr is a 64-bit address. Every call checks its CUresult.
 */
final class Driver {
    private static final FunctionDescriptor I_I = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor I_P = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor I_PI = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor I_PP = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

    private final MethodHandle cuInit;
    private final MethodHandle cuDeviceGetCount;
    private final MethodHandle cuDeviceGet;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuDevicePrimaryCtxRetain;
    private final MethodHandle cuCtxSetCurrent;
    private final MethodHandle cuStreamCreate;
    private final MethodHandle cuStreamSynchronize;
    private final MethodHandle cuDeviceGetDefaultMemPool;
    private final MethodHandle cuMemPoolSetAttribute;
    private final MethodHandle cuMemAllocAsync;
    private final MethodHandle cuMemFreeAsync;
    private final MethodHandle cuMemGetInfo;
    private final MethodHandle cuMemcpyHtoDAsync;
    private final MethodHandle cuMemcpyDtoHAsync;
    private final MethodHandle cuMemsetD32Async;
    private final MethodHandle cuModuleLoadData;
    private final MethodHandle cuModuleGetFunction;
    private final MethodHandle cuLaunchKernel;
    private final MethodHandle cuGetErrorName;
    private final MethodHandle cuGetErrorString;

    private Driver(NativeLibrary lib) {
        cuInit = lib.function("cuInit", I_I);
        cuDeviceGetCount = lib.function("cuDeviceGetCount", I_P);
        cuDeviceGet = lib.function("cuDeviceGet", I_PI);
        cuDeviceGetName = lib.function("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDevicePrimaryCtxRetain = lib.function("cuDevicePrimaryCtxRetain", I_PI);
        cuCtxSetCurrent = lib.function("cuCtxSetCurrent", I_P);
        cuStreamCreate = lib.function("cuStreamCreate", I_PI);
        cuStreamSynchronize = lib.function("cuStreamSynchronize", I_P);
        cuDeviceGetDefaultMemPool = lib.function("cuDeviceGetDefaultMemPool", I_PI);
        cuMemPoolSetAttribute = lib.function("cuMemPoolSetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                ADDRESS));
        cuMemAllocAsync = lib.function("cuMemAllocAsync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        cuMemFreeAsync = lib.function("cuMemFreeAsync", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        cuMemGetInfo = lib.function("cuMemGetInfo_v2", I_PP);
        cuMemcpyHtoDAsync = lib.function("cuMemcpyHtoDAsync_v2",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        cuMemcpyDtoHAsync = lib.function("cuMemcpyDtoHAsync_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        cuMemsetD32Async = lib.function("cuMemsetD32Async",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));
        cuModuleLoadData = lib.function("cuModuleLoadData", I_PP);
        cuModuleGetFunction = lib.function("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS));
        cuLaunchKernel = lib.function("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuGetErrorName = lib.function("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        cuGetErrorString = lib.function("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Opens libcuda.so.1; throws {@link UnsatisfiedLinkError} when there is no CUDA driver. */
    static Driver load() {
        return new Driver(NativeLibrary.open("no CUDA driver: the driver library",
                List.of(System.getProperty("jlens.cuda.driver", "libcuda.so.1"))));
    }

    void init() {
        check("cuInit", call(cuInit, 0));
    }

    int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            check("cuDeviceGetCount", call(cuDeviceGetCount, n));
            return n.get(JAVA_INT, 0);
        }
    }

    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(JAVA_INT);
            check("cuDeviceGet(" + ordinal + ")", call(cuDeviceGet, d, ordinal));
            return d.get(JAVA_INT, 0);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(256);
            check("cuDeviceGetName", call(cuDeviceGetName, name, 256, device));
            return name.getString(0);
        }
    }

    /** The device's primary context (shared with any CUDA runtime code in the process). */
    MemorySegment primaryContext(int device) {
        return handle("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain, device);
    }

    void setCurrent(MemorySegment context) {
        check("cuCtxSetCurrent", call(cuCtxSetCurrent, context));
    }

    /** A blocking stream (flags 0): ordered with the legacy default stream. */
    MemorySegment createStream() {
        return handle("cuStreamCreate", cuStreamCreate, 0);
    }

    void synchronize(MemorySegment stream) {
        check("cuStreamSynchronize", trySynchronize(stream));
    }

    /** Waits for the stream; returns the CUresult (an error of an earlier kernel shows here). */
    int trySynchronize(MemorySegment stream) {
        return call(cuStreamSynchronize, stream);
    }

    /**
     * Lets the device's default memory pool (the one cuMemAllocAsync draws from) keep freed memory instead of
     * returning it to the driver at every synchronization (CU_MEMPOOL_ATTR_RELEASE_THRESHOLD = 4, set to all).
     */
    void keepPoolMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pool = a.allocate(ADDRESS);
            check("cuDeviceGetDefaultMemPool", call(cuDeviceGetDefaultMemPool, pool, device));
            check("cuMemPoolSetAttribute(RELEASE_THRESHOLD)", call(cuMemPoolSetAttribute, pool.get(ADDRESS, 0), 4,
                    a.allocateFrom(JAVA_LONG, Long.MAX_VALUE)));
        }
    }

    /** Stream-ordered allocation; returns the CUresult so the caller can retry on out-of-memory. */
    int allocAsync(MemorySegment addressOut, long bytes, MemorySegment stream) {
        return call(cuMemAllocAsync, addressOut, bytes, stream);
    }

    void freeAsync(long address, MemorySegment stream) {
        check("cuMemFreeAsync", call(cuMemFreeAsync, address, stream));
    }

    /** {free, total} bytes on the current context's device. */
    long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG);
            MemorySegment total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo", call(cuMemGetInfo, free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        }
    }

    void copyHtoD(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        check("cuMemcpyHtoDAsync", call(cuMemcpyHtoDAsync, dst, src, bytes, stream));
    }

    void copyDtoH(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        check("cuMemcpyDtoHAsync", call(cuMemcpyDtoHAsync, dst, src, bytes, stream));
    }

    void memset32(long dst, int value, long count, MemorySegment stream) {
        check("cuMemsetD32Async", call(cuMemsetD32Async, dst, value, count, stream));
    }

    /** Loads a PTX image (NUL-terminated text); the driver JIT-compiles it for the current device. */
    MemorySegment loadModule(String ptx) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuModuleLoadData", call(cuModuleLoadData, out, a.allocateFrom(ptx)));
            return out.get(ADDRESS, 0);
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")", call(cuModuleGetFunction, out, module, a.allocateFrom(name)));
            return out.get(ADDRESS, 0);
        }
    }

    /** Launches a 1-D grid; returns the CUresult so the launcher can name the kernel in the error. */
    int launch(MemorySegment function, LaunchConfig c, MemorySegment stream, MemorySegment params) {
        return call(cuLaunchKernel, function, c.grid(), 1, 1, c.block(), 1, 1, c.sharedBytes(), stream, params,
                MemorySegment.NULL);
    }

    /** "CUDA_ERROR_X (code): description" for a CUresult. */
    String describe(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(ADDRESS);
            MemorySegment text = a.allocate(ADDRESS);
            boolean known = call(cuGetErrorName, code, name) == 0 && call(cuGetErrorString, code, text) == 0;
            return known ? string(name) + " (" + code + "): " + string(text) : "CUresult " + code;
        }
    }

    /** Throws a {@link CudaException} naming {@code what} unless {@code code} is CUDA_SUCCESS. */
    void check(String what, int code) {
        if (code != 0) {
            throw new CudaException(what + " failed: " + describe(code), code);
        }
    }

    private MemorySegment handle(String what, MethodHandle h, int arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(what, call(h, out, arg));
            return out.get(ADDRESS, 0);
        }
    }

    private static String string(MemorySegment pointerToCString) {
        return pointerToCString.get(ADDRESS, 0).reinterpret(Long.MAX_VALUE).getString(0);
    }

    static int call(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
