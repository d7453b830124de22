// SGEMM C[M,N] = A[M,K] . B[K,N] with B packed once (weights): jlens Matmul at GPT-2 small's matmul shapes.
package dev.jlens.benchmarks;

import dev.jlens.kernels.cpu.CpuBackend;
import dev.jlens.kernels.cpu.Matmul;
import dev.jlens.kernels.cpu.PackedMatrix;
import dev.jlens.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Matmul#multiply} with a packed B, the hot path of every forward pass. Shapes are MxKxN for GPT-2
 * small (d_model 768, d_mlp 3072, vocab 50257) at 120 tokens: QKV (768 -> 2304), MLP in (768 -> 3072),
 * MLP out (3072 -> 768), unembed (768 -> 50257); and at 1..8 rows (decode, patching), where the product
 * streams B and is bound by memory bandwidth.
 *
 * <p>Napkin math: FLOPs = 2*M*N*K per operation, so GFLOP/s = 2*M*N*K / (ms/op * 1e6). 120x768x2304 is
 * 0.42 GFLOP, ~3 ms at 150 GFLOP/s (2 Zen 3 cores peak at ~2 x 16 FMA lanes x 2 x 3 GHz = 192 GFLOP/s).
 * 1x768x50257 reads the packed B once: 154 MB, ~5 ms at 30 GB/s, i.e. ~15 GFLOP/s. The peers in the same
 * run: {@link #openblas}, OpenBLAS on the same operands under this same harness; numpy/OpenBLAS at the same
 * shapes (scripts/bench-sgemm.sh); and the scalar twin ({@link SgemmScalarBenchmark}, at smaller shapes: it is
 * ~100x slower). {@link #transposed} is the backward of the same Linear for its input, the same FLOPs on the same
 * packed weight: its peer is {@link #packed} at the same shape.
 */
@State(Scope.Benchmark)
public class SgemmBenchmark extends JlensBenchmark {
    @Param({"120x768x2304", "120x768x3072", "120x3072x768", "120x768x50257", "1x768x50257",
            "1x768x3072", "2x768x3072", "4x768x3072", "8x768x3072", "8x3072x768"})
    public String shape;

    private int m;
    private int n;
    private int k;
    private float[] bRowMajor; // [K, N], kept for NativeOperands
    private float[] a; // [M, K]
    private PackedMatrix b; // [K, N] packed
    private float[] c; // [M, N]
    private final CpuBackend cpu = new CpuBackend();
    private Tensor gradOut; // [M, N]: gY, all non-zero
    private Tensor weight; // [K, N]: B prepared (packed) by the backend

    @Setup(Level.Trial)
    public void setup() {
        int[] mkn = parseShape(shape);
        m = mkn[0];
        k = mkn[1];
        n = mkn[2];
        a = randoms(m * k, 1);
        bRowMajor = randoms(k * n, 2);
        b = Matmul.pack(bRowMajor, 0, n, 1, k, n);
        c = new float[m * n];
        gradOut = Tensor.of(randoms(m * n, 3), m, n);
        weight = cpu.prepareWeight(Tensor.of(bRowMajor, k, n));
    }

    /** C = A . B with B packed at setup: 2*M*N*K FLOPs. */
    @Benchmark
    public float[] packed() {
        Matmul.multiply(c, 0, n, a, 0, k, b, m);
        return c;
    }

    /**
     * gX[M, K] = gY[M, N] . B^T through the backend op (the backward of x . B for x), B read in place from its
     * panels: 2*M*N*K FLOPs, as {@link #packed}.
     */
    @Benchmark
    public Tensor transposed() {
        return cpu.matmulTransposed(gradOut, weight);
    }

    /**
     * The same C = A . B by OpenBLAS (sgemm; sgemv for one row, as numpy does), operands in native memory:
     * 2*M*N*K FLOPs.
     */
    @Benchmark
    public MemorySegment openblas(NativeOperands operands) {
        operands.blas.multiply(operands.c, operands.a, operands.b, m, n, k);
        return operands.c;
    }

    /**
     * {@link #openblas}'s operands: this benchmark's A and B copied into 64-byte-aligned native memory, and the
     * library named by {@code -Djlens.openblas}. Setup checks OpenBLAS's C against {@link Matmul}'s, so a wrong
     * binding stops the run instead of timing garbage.
     */
    @State(Scope.Benchmark)
    public static class NativeOperands {
        OpenBlas blas;
        MemorySegment a;
        MemorySegment b;
        MemorySegment c;

        @Setup(Level.Trial)
        public void setup(SgemmBenchmark bench) {
            blas = OpenBlas.load(System.getProperty("jlens.openblas"));
            a = copy(bench.a);
            b = copy(bench.bRowMajor);
            c = Arena.global().allocate(4L * bench.m * bench.n, 64);
            bench.packed();
            blas.multiply(c, a, b, bench.m, bench.n, bench.k);
            for (int i = 0; i < bench.c.length; i++) {
                float theirs = c.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (Math.abs(theirs - bench.c[i]) > 1e-3f * (1 + Math.abs(bench.c[i]))) {
                    throw new IllegalStateException(blas.name + " gives C[" + i + "] = " + theirs + ", Matmul "
                            + bench.c[i] + " at shape " + bench.shape);
                }
            }
        }

        private static MemorySegment copy(float[] x) {
            MemorySegment segment = Arena.global().allocate(4L * x.length, 64);
            MemorySegment.copy(x, 0, segment, ValueLayout.JAVA_FLOAT, 0, x.length);
            return segment;
        }
    }
}
