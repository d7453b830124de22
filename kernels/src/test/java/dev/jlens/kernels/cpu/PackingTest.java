// Packing B from blocks of columns read in place: every element lands in its panel, zero past N, at any vector width.
package dev.jlens.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlens.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Blocks of the three layouts the packer reads (row slices, a transposed view, a strided view), widths that are not
 * multiples of the panel width, and enough panels that row-major blocks are read several panels wide. The expected
 * values come from each block's own 2-D source, not from the packer's index arithmetic.
 */
class PackingTest {
    private static final int K = 70;

    @Test
    void mixedLayoutsLandInTheirPanels() {
        Random random = new Random(5);
        float[][] wide = randoms(random, K, 400);     // block 0: columns 50..349 of a [K, 400] matrix
        float[][] transposed = randoms(random, 250, K); // block 1: its transpose [K, 250], read column by column
        float[][] strided = randoms(random, K, 200);   // block 2: every other column from 1: [K, 97]
        List<Packing.Columns> blocks = List.of(
                new Packing.Columns(segment(wide), 50, 400, 1, 300),
                new Packing.Columns(segment(transposed), 0, 1, K, 250),
                new Packing.Columns(segment(strided), 1, 200, 2, 97));
        float[][] expected = new float[K][647];
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < 300; j++) {
                expected[k][j] = wide[k][50 + j];
            }
            for (int j = 0; j < 250; j++) {
                expected[k][300 + j] = transposed[j][k];
            }
            for (int j = 0; j < 97; j++) {
                expected[k][550 + j] = strided[k][1 + 2 * j];
            }
        }
        checkPanels(Matmul.pack(K, blocks), expected);
    }

    @Test
    void rowMajorBlocksReadSeveralPanelsWideLandInTheirPanels() {
        Random random = new Random(6);
        int width = Math.max(480, 8 * CpuThreads.COUNT * Matmul.PANEL_WIDTH); // chunks of 2+ panels on any machine
        float[][] first = randoms(random, K, 333);
        float[][] second = randoms(random, K, width + 20);
        List<Packing.Columns> blocks = List.of(
                new Packing.Columns(segment(first), 0, 333, 1, 333),
                new Packing.Columns(segment(second), 20, width + 20, 1, width)); // columns 20.. of [K, width + 20]
        float[][] expected = new float[K][333 + width];
        for (int k = 0; k < K; k++) {
            System.arraycopy(first[k], 0, expected[k], 0, 333);
            System.arraycopy(second[k], 20, expected[k], 333, width);
        }
        checkPanels(Matmul.pack(K, blocks), expected);
    }

    @Test
    void preparedColumnsEqualThePreparedConcatenation() {
        Random random = new Random(7);
        Tensor whole = Tensor.of(flat(randoms(random, K, 96)), K, 96);
        Tensor t = Tensor.of(flat(randoms(random, 40, K)), 40, K).transpose(0, 1);
        Tensor[] blocks = {whole.narrow(1, 10, 33), t, whole.narrow(1, 50, 46)};
        CpuBackend cpu = new CpuBackend();
        Tensor fused = cpu.prepareColumns(blocks);
        assertArrayEquals(new int[] {K, 119}, fused.shape());
        assertArrayEquals(cpu.prepareWeight(Tensor.cat(1, blocks)).toArray(), fused.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.prepareColumns(whole, Tensor.zeros(K + 1, 3)));
        assertEquals("prepareColumns: blocks must be [70, N], got [71, 3]", e.getMessage());
    }

    @Test
    void weightMadeChunkByChunkEqualsTheWholeWeightPrepared() {
        Random random = new Random(8);
        int n = 3 * 64 * Matmul.PANEL_WIDTH + 5; // three whole chunks of the backend's and a partial panel
        Tensor whole = Tensor.of(flat(randoms(random, n, K)), n, K).transpose(0, 1); // [K, n], columns contiguous
        CpuBackend cpu = new CpuBackend();
        int[] next = {0};
        Tensor prepared = cpu.prepareWeight(K, n, (from, count) -> {
            assertEquals(next[0], from, "chunks are asked left to right");
            next[0] = from + count;
            return whole.narrow(1, from, count);
        });
        assertEquals(n, next[0]);
        assertArrayEquals(cpu.prepareWeight(whole).toArray(), prepared.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.prepareWeight(K, 10, (from, count) -> Tensor.zeros(K, count + 1)));
        assertEquals("prepareWeight: columns [0, 10) must be [70, 10], got [70, 11]", e.getMessage());
    }

    /** Every element of packed equals expected [K, N], and each panel's columns past N are zero. */
    private static void checkPanels(PackedMatrix packed, float[][] expected) {
        int n = expected[0].length;
        assertEquals(n, packed.n());
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < packed.panels() * packed.nr; j++) {
                float got = packed.data.getAtIndex(ValueLayout.JAVA_FLOAT, packed.indexOf(k, j));
                assertEquals(j < n ? expected[k][j] : 0f, got, "B[" + k + ", " + j + "]");
            }
        }
    }

    private static float[][] randoms(Random random, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    /** x row-major in one heap segment. */
    private static MemorySegment segment(float[][] x) {
        return MemorySegment.ofArray(flat(x));
    }

    private static float[] flat(float[][] x) {
        float[] out = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
        }
        return out;
    }
}
