// Device storage from tensor code's side: element access, one-download host copies of strided views, comparisons.
package dev.jlens.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Device;
import dev.jlens.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DeviceStorageTest {
    /** Device memory faked by a host array; counts transfers. */
    private static final class FakeMemory implements DeviceMemory {
        final float[] cells;
        int downloads;

        FakeMemory(float[] cells) {
            this.cells = cells;
        }

        @Override
        public Device device() {
            return new Device("cuda", 0);
        }

        @Override
        public long address() {
            return 0x1000;
        }

        @Override
        public long size() {
            return cells.length;
        }

        @Override
        public void download(long from, float[] dst, int dstOffset, int count) {
            downloads++;
            System.arraycopy(cells, (int) from, dst, dstOffset, count);
        }

        @Override
        public void upload(long to, float[] src, int srcOffset, int count) {
            System.arraycopy(src, srcOffset, cells, (int) to, count);
        }
    }

    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void elementsReadAndWriteThroughTheDevice() {
        FakeMemory memory = new FakeMemory(iota(12));
        Tensor t = Tensor.view(new DeviceStorage(memory), new int[] {3, 4}, new int[] {4, 1}, 0);
        assertEquals("cuda:0", t.device().toString());
        assertEquals(6f, t.get(1, 2));
        t.set(-1f, 2, 3);
        assertEquals(-1f, memory.cells[11]);
    }

    @Test
    void aStridedViewIsCopiedToTheHostInOneDownloadOfItsSpan() {
        FakeMemory memory = new FakeMemory(iota(24));
        Tensor whole = Tensor.view(new DeviceStorage(memory), new int[] {2, 3, 4}, new int[] {12, 4, 1}, 0);
        Tensor view = whole.select(0, 1).transpose(0, 1).narrow(0, 1, 2); // [2, 3], strides [1, 4], offset 13
        Tensor host = view.toHost();
        assertEquals(1, memory.downloads);
        assertArrayEquals(view.shape(), host.shape());
        assertArrayEquals(view.strides(), host.strides());
        assertInstanceOf(HeapStorage.class, host.storage());
        float[][] want = {{13, 17, 21}, {14, 18, 22}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(want[i][j], host.get(i, j), "[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void aContiguousDeviceSliceBecomesAHeapArrayWithoutABackend() {
        FakeMemory memory = new FakeMemory(iota(12));
        Tensor rows = Tensor.view(new DeviceStorage(memory), new int[] {3, 4}, new int[] {4, 1}, 0).narrow(0, 1, 2);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, rows.toArray());
        assertInstanceOf(HeapStorage.class, rows.contiguous().storage());
    }

    @Test
    void hostTensorsAreTheirOwnHostCopyAndDeviceTensorsCompareByValue() {
        Tensor host = Tensor.of(iota(6), 2, 3);
        assertSame(host, host.toHost());
        Tensor device = Tensor.view(new DeviceStorage(new FakeMemory(iota(6))), new int[] {2, 3}, new int[] {3, 1}, 0);
        assertTrue(device.allclose(host, 0, 0));
        assertEquals(0.0, host.maxAbsDiff(device));
    }
}
