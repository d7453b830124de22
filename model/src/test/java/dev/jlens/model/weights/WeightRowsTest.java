// Chunked row reads and writes of weight processing: every view layout, and a last chunk shorter than the others.
package dev.jlens.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class WeightRowsTest {
    @Test
    void chunksOfEveryLayoutHoldTheViewsElements() {
        Tensor heap = Tensor.randn(7, 1000, 300); // 54 rows a chunk: 18 full chunks and one of 28
        Tensor offHeap = offHeapCopy(heap);
        Tensor[] views = {heap, offHeap, offHeap.narrow(1, 20, 100), offHeap.transpose(0, 1).narrow(0, 3, 250)};
        for (Tensor view : views) {
            assertChunksMatch(view);
        }
    }

    @Test
    void writerPutsChunksAsRows() {
        int rows = 1000;
        int n = 300;
        Tensor expected = Tensor.randn(8, rows, n);
        try (Arena arena = Arena.ofConfined()) {
            WeightRows.Writer out = WeightRows.writer(rows, n, arena, "test");
            WeightRows in = new WeightRows(expected);
            int chunk = WeightRows.chunkRows(n);
            for (int r = 0; r < rows; r += chunk) {
                int m = Math.min(chunk, rows - r);
                System.arraycopy(in.read(r, m), 0, out.rows(), 0, m * n);
                out.put(r, m);
            }
            assertEquals(0.0, out.tensor().maxAbsDiff(expected));
        }
    }

    private static void assertChunksMatch(Tensor view) {
        WeightRows rows = new WeightRows(view);
        int n = view.size(1);
        int chunk = rows.chunkRows();
        for (int r = 0; r < view.size(0); r += chunk) {
            int m = Math.min(chunk, view.size(0) - r);
            float[] x = rows.read(r, m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(view.get(r + i, j), x[i * n + j], "row " + (r + i) + ", column " + j);
                }
            }
        }
    }

    private static Tensor offHeapCopy(Tensor t) {
        MemorySegment s = Arena.ofAuto().allocate((long) t.numel() * Float.BYTES, Float.BYTES);
        Tensor copy = Tensor.view(new SegmentStorage(s, DType.F32), t.shape(), Shape.contiguousStrides(t.shape()), 0);
        return copy.copyFrom(t);
    }
}
