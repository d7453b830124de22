// Fills the column panels of a PackedMatrix from B[K,N] given as blocks of columns, each read in place.
package dev.jlens.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * B[K,N] is the side-by-side concatenation of {@link Columns} blocks: one strided matrix, or e.g. the heads of W_Q,
 * W_K and W_V making a fused [d_model, 3 n_heads d_head] weight. Each block is read where it lies (a heap array, an
 * off-heap buffer, a file mapping), so the concatenation never exists outside the panels.
 */
final class Packing {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfFloat SOURCE = ValueLayout.JAVA_FLOAT_UNALIGNED; // file mappings: any offset
    /** Floats of B read per group of panels (1 MiB): row reads a few panels wide instead of one. */
    private static final int GROUP_FLOATS = 1 << 18;

    /**
     * {@code n} columns of B whose element [k, j] is the float at index {@code off + k*rowStride + j*colStride} of
     * {@code src} (native byte order).
     */
    record Columns(MemorySegment src, long off, long rowStride, long colStride, int n) {}

    private Packing() {}

    /** Fills every panel of {@code packed} with the columns of {@code blocks}, left to right (N = their sum). */
    static void packInto(PackedMatrix packed, List<Columns> blocks) {
        packInto(packed, 0, blocks);
    }

    /**
     * Fills the panels from {@code firstPanel} on with the columns of {@code blocks}, left to right: B's columns from
     * firstPanel * nr, up to N or to a panel boundary.
     */
    static void packInto(PackedMatrix packed, int firstPanel, List<Columns> blocks) {
        int[] starts = new int[blocks.size() + 1]; // block b holds B's columns [starts[b], starts[b + 1])
        starts[0] = firstPanel * packed.nr;
        for (int b = 0; b < blocks.size(); b++) {
            starts[b + 1] = Math.addExact(starts[b], blocks.get(b).n());
        }
        int end = starts[blocks.size()];
        if (end > packed.n() || end < packed.n() && end % packed.nr != 0) {
            throw new IllegalArgumentException("Packing: columns [" + starts[0] + ", " + end + ") for " + packed);
        }
        int panels = (end + packed.nr - 1) / packed.nr - firstPanel;
        int chunk = Math.max(1, panels / (4 * CpuThreads.COUNT));
        boolean rowMajor = blocks.stream().allMatch(c -> c.colStride() == 1); // else columns are read one by one
        int group = rowMajor ? Math.clamp(GROUP_FLOATS / Math.max(1, packed.k() * packed.nr), 1, chunk) : 1;
        CpuThreads.parallelFor((panels + chunk - 1) / chunk, (long) packed.k() * (end - starts[0]), t -> {
            float[] rows = new float[group == 1 ? 0 : packed.k() * packed.nr * group]; // [K, group * nr]
            float[] panel = new float[packed.k() * packed.nr]; // [K, nr], copied to the panels at once
            float[] column = new float[packed.k()];
            int last = Math.min(firstPanel + panels, firstPanel + t * chunk + chunk);
            for (int p = firstPanel + t * chunk; p < last; p += group) {
                packGroup(packed, p, Math.min(last, p + group), blocks, starts, rows, panel, column);
            }
        });
    }

    /**
     * Panels [p0, p1): B's columns [p0*nr, p1*nr) read a whole group wide (few long reads, not one per panel row)
     * piece by piece from the blocks that hold them, then cut into panels; zero past column N. A group of one panel
     * is read into the panel itself.
     */
    private static void packGroup(PackedMatrix packed, int p0, int p1, List<Columns> blocks, int[] starts,
                                  float[] rows, float[] panel, float[] column) {
        int nr = packed.nr;
        int k = packed.k();
        int c0 = p0 * nr;
        int c1 = Math.min(p1 * nr, starts[starts.length - 1]);
        boolean single = p1 - p0 == 1;
        float[] read = single ? panel : rows;
        int width = single ? nr : c1 - c0; // read holds [K, width]
        if (single && c1 - c0 < nr) {
            Arrays.fill(panel, 0f);
        }
        int b = 0;
        for (int c = c0; c < c1; b++) {
            if (starts[b + 1] <= c) {
                continue; // a block left of the group, or an empty one
            }
            int cols = Math.min(c1, starts[b + 1]) - c;
            copyColumns(blocks.get(b), c - starts[b], cols, k, read, c - c0, width, column);
            c += cols;
        }
        for (int p = p0; p < p1; p++) {
            int cols = Math.min(nr, c1 - p * nr);
            if (!single) {
                if (cols < nr) {
                    Arrays.fill(panel, 0f);
                }
                for (int r = 0; r < k; r++) {
                    System.arraycopy(rows, r * width + (p - p0) * nr, panel, r * nr, cols);
                }
            }
            MemorySegment.copy(panel, 0, packed.data, FLOAT, (long) packed.offset(p, 0) * Float.BYTES, panel.length);
        }
        packed.keepAlive();
    }

    /**
     * Columns [j0, j0 + cols) of block B into columns [to, to + cols) of out [K, width]: row slices when the block's
     * rows are contiguous, whole columns when its columns are (a transposed view, as W_U = W_E^T), else one by one.
     */
    private static void copyColumns(Columns block, int j0, int cols, int k, float[] out, int to, int width,
                                    float[] column) {
        MemorySegment src = block.src();
        long rowStride = block.rowStride();
        long colStride = block.colStride();
        long first = block.off() + j0 * colStride; // B[0, j0]
        if (colStride == 1) {
            for (int r = 0; r < k; r++) {
                MemorySegment.copy(src, SOURCE, (first + r * rowStride) * Float.BYTES, out, r * width + to, cols);
            }
        } else if (rowStride == 1) {
            for (int j = 0; j < cols; j++) {
                MemorySegment.copy(src, SOURCE, (first + j * colStride) * Float.BYTES, column, 0, k);
                for (int r = 0; r < k; r++) {
                    out[r * width + to + j] = column[r];
                }
            }
        } else {
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < cols; j++) {
                    out[r * width + to + j] = src.getAtIndex(SOURCE, first + r * rowStride + j * colStride);
                }
            }
        }
    }
}
