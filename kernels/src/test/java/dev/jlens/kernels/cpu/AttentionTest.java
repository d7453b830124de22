// Causal attention against its scalar twin (B=2, Pq = Pk and Pq < Pk, H in {1, 3}, E in {1, 8, 64}, with and
// without a key mask, including fully masked queries), bit for bit against its three steps (scores, softmax, mix),
// and the twin against a hand-computed case.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.Close.OFF_A;
import static dev.jlens.kernels.cpu.Close.OFF_B;
import static dev.jlens.kernels.cpu.Close.OFF_OUT;
import static dev.jlens.kernels.cpu.Close.assertClose;
import static dev.jlens.kernels.cpu.Close.assertUntouched;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jlens.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttentionTest {
    private static final int B = 2;
    private static final int OFF_MASK = 2;

    @ParameterizedTest(name = "Pq={0} Pk={1}")
    @CsvSource({"1, 1", "7, 7", "33, 33", "5, 40", "1, 17", "20, 21"})
    void matchesScalarTwin(int Pq, int Pk) {
        for (int H : new int[] {1, 3}) {
            for (int E : new int[] {1, 8, 64}) {
                check(Pq, Pk, H, E, false);
                check(Pq, Pk, H, E, true);
            }
        }
    }

    @Test
    void keysAndValuesInALongerBufferGiveTheSameBitsWithoutACopy() {
        // a KV cache: k and v are positions [0, 5) of longer buffers, position-major [B, 8, H, E] or head-major
        // [B, H, 8, E] (KvCacheEntry's); the fused kernel reads them in place through their strides
        int pk = 5;
        Tensor q = Tensor.randn(21, B, 2, 3, 16);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 1, 0, 1, 1, 1, 1}, B, pk);
        CpuBackend cpu = new CpuBackend();
        Tensor[][] caches = {
            {Tensor.randn(22, B, 8, 3, 16).narrow(1, 0, pk), Tensor.randn(23, B, 8, 3, 16).narrow(1, 0, pk)},
            {Tensor.randn(24, B, 3, 8, 16).narrow(2, 0, pk).permute(0, 2, 1, 3),
                Tensor.randn(25, B, 3, 8, 16).narrow(2, 0, pk).permute(0, 2, 1, 3)}};
        for (Tensor[] kv : caches) {
            Tensor inPlace = cpu.causalAttention(q, kv[0], kv[1], mask, 0.25f);
            Tensor copied = cpu.causalAttention(q, kv[0].contiguous(), kv[1].contiguous(), mask, 0.25f);
            assertArrayEquals(copied.toArray(), inPlace.toArray(), "KV-cache views vs their dense copies");
            assertSame(kv[0], Layouts.rowsContiguous(kv[0]), "rows of E contiguous: read where they are");
        }
        Tensor columns = Tensor.randn(26, B, pk, 16, 3).transpose(2, 3); // [B, pk, 3, 16], E 3 floats apart
        assertNotSame(columns, Layouts.rowsContiguous(columns), "E not contiguous: copied");
    }

    @Test
    void scalarTwinMatchesHandValues() {
        // one head, E = 1: query 0 sees key 0 only; query 1 scores [0, ln 2] -> p = [1/3, 2/3]
        float[] q = {1f, 1f};
        float[] k = {0f, (float) Math.log(2)};
        float[] v = {10f, 20f};
        float[] z = new float[2];
        Attention.causalScalar(z, 0, q, 0, k, 0, v, 0, null, 0, 1, 2, 2, 1, 1, 1f);
        assertArrayEquals(new float[] {10f, 50f / 3}, z, 1e-5f);
        // key 0 masked: query 0 sees nothing (z = 0), query 1 sees key 1 only
        Attention.causalScalar(z, 0, q, 0, k, 0, v, 0, new float[] {0f, 1f}, 0, 1, 2, 2, 1, 1, 1f);
        assertArrayEquals(new float[] {0f, 20f}, z);
        // Pq = 1 < Pk = 2: the single query sits at position 1 and sees both keys
        Attention.causalScalar(z, 0, new float[] {1f}, 0, k, 0, v, 0, null, 0, 1, 1, 2, 1, 1, 1f);
        assertArrayEquals(new float[] {50f / 3}, new float[] {z[0]}, 1e-5f);
    }

    private static void check(int Pq, int Pk, int H, int E, boolean masked) {
        long seed = ((Pq * 101L + Pk) * 7 + H) * 131 + E;
        int qn = B * Pq * H * E;
        int kn = B * Pk * H * E;
        float[] q = Close.random(seed, OFF_A, qn, -1f, 1f);
        float[] k = Close.random(seed + 1, OFF_B, kn, -1f, 1f);
        float[] v = Close.random(seed + 2, OFF_A, kn, -1f, 1f);
        float[] mask = masked ? mask(seed, Pq, Pk) : null;
        for (int i = 0; masked && i < B * Pk * H * E; i++) {
            if (mask[OFF_MASK + i / (Pk * H * E) * Pk + i / (H * E) % Pk] == 0) {
                v[OFF_A + i] = Float.NaN; // a masked key's value must contribute nothing, not even NaN
            }
        }
        float scale = (float) (1 / Math.sqrt(E));
        float[] expected = Close.padded(OFF_OUT, qn);
        float[] actual = Close.padded(OFF_OUT, qn);
        Attention.causalScalar(expected, OFF_OUT, q, OFF_A, k, OFF_B, v, OFF_A, mask, OFF_MASK, B, Pq, Pk, H, E, scale);
        Attention.causal(actual, OFF_OUT, q, OFF_A, k, OFF_B, Attention.Strides.dense(Pk, H, E), v, OFF_A,
                Attention.Strides.dense(Pk, H, E), mask, OFF_MASK, B, Pq, Pk, H, E, scale);
        String shape = String.format("[B=%d, Pq=%d, Pk=%d, H=%d, E=%d, mask=%b]", B, Pq, Pk, H, E, masked);
        assertClose("causalAttention", shape, expected, OFF_OUT, actual, OFF_OUT, qn);
        assertUntouched("causalAttention", shape, actual, OFF_OUT, qn);
        // one arithmetic: the fused kernel equals its three steps (TL's hook_attn_scores, hook_pattern, z) bit for bit
        float[] pattern = new float[B * H * Pq * Pk];
        Attention.scores(pattern, 0, q, OFF_A, k, OFF_B, mask, OFF_MASK, B, Pq, Pk, H, E, scale);
        Softmax.softmax(pattern, 0, pattern, 0, B * H * Pq, Pk);
        float[] staged = Close.padded(OFF_OUT, qn);
        Attention.mix(staged, OFF_OUT, pattern, 0, v, OFF_A, B, Pq, Pk, H, E);
        assertArrayEquals(actual, staged, "fused vs scores, softmax, mix " + shape);
        if (masked) {
            // batch 1 masks every key up to query 0's position: that query has no visible key, so z = 0
            int row = OFF_OUT + Pq * H * E;
            assertArrayEquals(new float[H * E], java.util.Arrays.copyOfRange(actual, row, row + H * E),
                    "fully masked query " + shape + " width=" + VectorWidth.bits());
        }
    }

    /** keyMask [B, Pk] at OFF_MASK: random zeros; batch 1 hides every key visible to its first query. */
    private static float[] mask(long seed, int Pq, int Pk) {
        float[] m = Close.padded(OFF_MASK, B * Pk);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < B * Pk; i++) {
            m[OFF_MASK + i] = r.nextInt(4) == 0 ? 0f : 1f;
        }
        for (int j = 0; j <= Pk - Pq; j++) {
            m[OFF_MASK + Pk + j] = 0f;
        }
        return m;
    }
}
