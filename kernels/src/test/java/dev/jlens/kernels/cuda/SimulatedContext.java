// A CUDA device simulated in Java: memory by address, and the kernels of kernels/src/main/cuda read as Java loops.
package dev.jlens.kernels.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlens.tensor.Device;
import dev.jlens.tensor.backend.Backend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Runs the cuda backend's Java side (CudaBackend, DeviceTensors, Gemm, the launchers, KernelArgs, Layout structs,
 * GemmArgs) without a GPU. Device memory is a map from fake addresses to native segments, so an access outside a
 * live allocation throws. A launch decodes the {@code void**} argument array exactly as the driver would, checks
 * the launch configuration, and runs the kernel's math as a Java loop (the .cu file's header, read independently);
 * GEMMs run {@link ColumnMajorSgemm} on the cuBLAS arguments. What it cannot show: the CUDA C itself (thread
 * indexing, shared memory, warp reductions), FFM descriptors of the driver and cuBLAS, and timing.
 */
public final class SimulatedContext implements CudaContext {
    private static final long BASE = 0x7f00_0000_0000L;
    private final Map<Long, MemorySegment> memory = new ConcurrentSkipListMap<>();
    private long next = BASE;

    /** A cuda backend on a fresh simulated device. */
    public static Backend backend() {
        return new CudaBackend(new SimulatedContext());
    }

    @Override
    public Device device() {
        return new Device("cuda", 0);
    }

    @Override
    public String describe() {
        return "simulated device (Java twins of the kernels)";
    }

    @Override
    public synchronized long alloc(long bytes) {
        long address = next;
        next += (bytes + 511) / 256 * 256; // a gap after each block, as a real allocator's alignment leaves
        memory.put(address, Arena.ofAuto().allocate(bytes, 256));
        return address;
    }

    @Override
    public void free(long address) {
        if (memory.remove(address) == null) {
            throw new IllegalStateException("free of 0x" + Long.toHexString(address) + ", not a live allocation");
        }
    }

    @Override
    public void upload(long dst, MemorySegment src, long bytes) {
        MemorySegment.copy(src, 0, at(dst), 0, bytes);
    }

    @Override
    public void download(MemorySegment dst, long src, long bytes) {
        MemorySegment.copy(at(src), 0, dst, 0, bytes);
    }

    @Override
    public void memset32(long dst, int bits, long count) {
        MemorySegment m = at(dst);
        for (long i = 0; i < count; i++) {
            m.setAtIndex(JAVA_INT, i, bits);
        }
    }

    @Override
    public void gemm(GemmArgs g, String shapes) {
        ColumnMajorSgemm.run(g, new ColumnMajorSgemm.Memory() {
            @Override
            public float get(long address, long index) {
                return at(address).getAtIndex(JAVA_FLOAT, index);
            }

            @Override
            public void set(long address, long index, float value) {
                at(address).setAtIndex(JAVA_FLOAT, index, value);
            }
        });
    }

    /** The live allocation slice starting at {@code address}; throws for any other address. */
    private MemorySegment at(long address) {
        var e = ((ConcurrentSkipListMap<Long, MemorySegment>) memory).floorEntry(address);
        if (e == null || address - e.getKey() >= Math.max(1, e.getValue().byteSize())) {
            throw new IllegalStateException("device address 0x" + Long.toHexString(address)
                    + " is not inside a live allocation");
        }
        return e.getValue().asSlice(address - e.getKey());
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args, String shapes) {
        CudaContext.checkSignature(kernel, args);
        Params p = new Params(args.params(), kernel.params().split(" ").length);
        switch (kernel) {
            case COPY_STRIDED -> {
                F dst = p.f(0);
                int[][] dl = p.layout(1);
                F src = p.f(2);
                int[][] sl = p.layout(3);
                for (long i = 0, n = p.i64(4); i < n; i++) {
                    dst.set(offset(dl, i), src.get(offset(sl, i)));
                }
            }
            case FILL_STRIDED -> {
                F dst = p.f(0);
                int[][] dl = p.layout(1);
                for (long i = 0, n = p.i64(3); i < n; i++) {
                    dst.set(offset(dl, i), p.f32(2));
                }
            }
            case BINARY_STRIDED -> {
                F out = p.f(0);
                F a = p.f(1);
                F b = p.f(3);
                int[][] al = p.layout(2);
                int[][] bl = p.layout(4);
                int op = p.i32(5);
                for (long i = 0, n = p.i64(6); i < n; i++) {
                    float x = a.get(offset(al, i));
                    float y = b.get(offset(bl, i));
                    out.set(i, switch (op) {
                        case 0 -> x + y;
                        case 1 -> x - y;
                        case 2 -> x * y;
                        default -> x / y;
                    });
                }
            }
            case UNARY_STRIDED -> {
                F out = p.f(0);
                F a = p.f(1);
                int[][] al = p.layout(2);
                int op = p.i32(3);
                float alpha = p.f32(4);
                for (long i = 0, n = p.i64(5); i < n; i++) {
                    double x = a.get(offset(al, i));
                    out.set(i, (float) switch (op) {
                        case 0 -> Math.exp(x);
                        case 1 -> Math.log(x);
                        case 2 -> Math.tanh(x);
                        case 3 -> Math.sqrt(x);
                        case 4 -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                        default -> alpha * x;
                    });
                }
            }
            case REDUCE_ROWS -> rows(config, p.i32(2), () -> reduceRows(p.f(0), p.f(1), p.i32(2), p.i32(3), p.i32(4)));
            case SOFTMAX_ROWS -> rows(config, p.i32(2), () -> softmaxRows(p.f(0), p.f(1), p.i32(2), p.i32(3),
                    p.i32(4) != 0));
            case LAYERNORM_ROWS -> rows(config, p.i32(4), () -> layerNormRows(p.f(0), p.f(1), p.f(2), p.f(3), p.i32(4),
                    p.i32(5), p.f32(6)));
            case CAUSAL_ATTENTION -> {
                int batch = p.i32(5);
                int pq = p.i32(6);
                int pk = p.i32(7);
                int heads = p.i32(8);
                int e = p.i32(9);
                check(config.grid() == batch * pq * heads && config.sharedBytes() >= pk * Float.BYTES, config, shapes);
                attention(p.f(0), p.f(1), p.f(2), p.f(3), p.f(4), batch, pq, pk, heads, e, p.f32(10));
            }
            case GATHER_ROWS -> {
                F out = p.f(0);
                F table = p.f(1);
                MemorySegment index = at(p.i64(2));
                int d = p.i32(4);
                for (int c = 0; c < p.i32(3); c++) {
                    for (int col = 0; col < d; col++) {
                        out.set((long) c * d + col, table.get((long) index.getAtIndex(JAVA_INT, c) * d + col));
                    }
                }
            }
        }
    }

    private static void rows(LaunchConfig config, int rows, Runnable kernel) {
        check(config.grid() == rows && config.block() % 32 == 0, config, rows + " rows");
        kernel.run();
    }

    private static void check(boolean ok, LaunchConfig config, String shapes) {
        if (!ok) {
            throw new IllegalStateException("launch configuration does not fit the kernel: " + config + "; " + shapes);
        }
    }

    private static void reduceRows(F out, F x, int rows, int n, int op) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                sum += x.get((long) r * n + j);
                max = Math.max(max, x.get((long) r * n + j));
            }
            double lse = 0;
            for (int j = 0; j < n && max != Double.NEGATIVE_INFINITY; j++) {
                lse += Math.exp(x.get((long) r * n + j) - max);
            }
            out.set(r, (float) switch (op) {
                case 0 -> sum;
                case 1 -> sum / n;
                case 2 -> max;
                default -> max == Double.NEGATIVE_INFINITY ? max : max + Math.log(lse);
            });
        }
    }

    private static void softmaxRows(F out, F x, int rows, int n, boolean log) {
        for (int r = 0; r < rows; r++) {
            long row = (long) r * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x.get(row + j));
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x.get(row + j) - max);
            }
            for (int j = 0; j < n; j++) {
                double v = max == Double.NEGATIVE_INFINITY ? (log ? max : 0)
                        : log ? x.get(row + j) - max - Math.log(sum) : Math.exp(x.get(row + j) - max) / sum;
                out.set(row + j, (float) v);
            }
        }
    }

    private static void layerNormRows(F out, F x, F w, F b, int rows, int d, float eps) {
        for (int r = 0; r < rows; r++) {
            long row = (long) r * d;
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x.get(row + j);
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += (x.get(row + j) - mean) * (x.get(row + j) - mean);
            }
            double rstd = 1 / Math.sqrt(var / d + eps);
            for (int j = 0; j < d; j++) {
                double y = (x.get(row + j) - mean) * rstd;
                out.set(row + j, (float) ((w == null ? y : y * w.get(j)) + (b == null ? 0 : b.get(j))));
            }
        }
    }

    private static void attention(F z, F q, F k, F v, F mask, int batch, int pq, int pk, int heads, int e,
                                  float scale) {
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < pq; i++) {
                for (int h = 0; h < heads; h++) {
                    int t = pk - pq + i;
                    double[] s = new double[pk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < pk; j++) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        if (j <= t && (mask == null || mask.get((long) bi * pk + j) != 0)) {
                            double dot = 0;
                            for (int c = 0; c < e; c++) {
                                dot += q.get((((long) bi * pq + i) * heads + h) * e + c)
                                        * k.get((((long) bi * pk + j) * heads + h) * e + c);
                            }
                            s[j] = scale * dot;
                        }
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < pk; j++) {
                        s[j] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int c = 0; c < e; c++) {
                        double acc = 0;
                        for (int j = 0; j < pk; j++) {
                            acc += s[j] * v.get((((long) bi * pk + j) * heads + h) * e + c);
                        }
                        z.set((((long) bi * pq + i) * heads + h) * e + c, (float) (sum == 0 ? 0 : acc / sum));
                    }
                }
            }
        }
    }

    /** Storage offset of row-major element i of a layout {shape, stride} (layout.cuh's layout_offset). */
    private static long offset(int[][] layout, long i) {
        long off = 0;
        for (int d = layout[0].length - 1; d >= 0; d--) {
            off += (i % layout[0][d]) * layout[1][d];
            i /= layout[0][d];
        }
        return off;
    }

    /** A float array on the device, or null for a null pointer. */
    private record F(MemorySegment m) {
        float get(long i) {
            return m.getAtIndex(JAVA_FLOAT, i);
        }

        void set(long i, float value) {
            m.setAtIndex(JAVA_FLOAT, i, value);
        }
    }

    /** The kernelParams array, decoded as cuLaunchKernel does: entry i points at argument i's bytes. */
    private final class Params {
        private final MemorySegment array;

        Params(MemorySegment params, int count) {
            this.array = params.reinterpret(ADDRESS.byteSize() * count);
        }

        private MemorySegment arg(int i, long bytes) {
            return array.getAtIndex(ADDRESS, i).reinterpret(bytes);
        }

        long i64(int i) {
            return arg(i, 8).get(JAVA_LONG, 0);
        }

        int i32(int i) {
            return arg(i, 4).get(JAVA_INT, 0);
        }

        float f32(int i) {
            return arg(i, 4).get(JAVA_FLOAT, 0);
        }

        F f(int i) {
            long address = i64(i);
            return address == 0 ? null : new F(at(address));
        }

        int[][] layout(int i) {
            MemorySegment s = arg(i, Layout.STRUCT.byteSize());
            int rank = s.get(JAVA_INT, 0);
            int[][] l = new int[2][rank];
            for (int d = 0; d < rank; d++) {
                l[0][d] = s.getAtIndex(JAVA_INT, 1 + d);
                l[1][d] = s.getAtIndex(JAVA_INT, 1 + Layout.MAX_RANK + d);
            }
            return l;
        }
    }
}
