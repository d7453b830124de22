// Tensors print as PyTorch's repr (expected strings worked out by hand from torch/_tensor_str.py's rules).
package dev.jlens.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.Storage;
import org.junit.jupiter.api.Test;

class TensorFormatTest {
    @Test
    void scalarPrintsItsValueWithEmptyShape() {
        assertEquals("tensor(0.5000, shape=[], dtype=float32, device=cpu)", Tensor.scalar(0.5f).toString());
        // every shown value is an integer: torch's int mode prints "2."
        assertEquals("tensor(2., shape=[], dtype=float32, device=cpu)", Tensor.scalar(2f).toString());
    }

    @Test
    void smallVectorPadsToTheWidestValueAndWrapsTheLastSuffix() {
        // widest is "-0.2500" (7); "tensor([...]" ends at 43 chars, torch counts 45, +", dtype=float32" = 71,
        // +", device=cpu" = 83 > 80, so device goes on its own line under the prefix
        Tensor t = Tensor.of(new float[] {1.5f, -0.25f, 3f, 0f}, 4);
        assertEquals("tensor([ 1.5000, -0.2500,  3.0000,  0.0000], shape=[4], dtype=float32,\n       device=cpu)",
                t.toString());
    }

    @Test
    void roundingIsPythonsExactTiesToEven() {
        // 0.03125 is exact in binary, a tie at 4 decimals: Python gives 0.0312 (Java's %.4f would give 0.0313);
        // 0.12345f is 0.123450003..., above the tie, so 0.1235
        Tensor t = Tensor.of(new float[] {0.03125f, 0.12345f}, 2);
        assertEquals("tensor([0.0312, 0.1235], shape=[2], dtype=float32, device=cpu)", t.toString());
    }

    @Test
    void tinyValuesSwitchToScientific() {
        // min nonzero |v| < 1e-4: "{:.4e}"; 1e-5f is 9.99999974e-06, which rounds to 1.0000e-05
        Tensor t = Tensor.of(new float[] {1e-5f, -1f}, 2);
        assertEquals("tensor([ 1.0000e-05, -1.0000e+00], shape=[2], dtype=float32, device=cpu)", t.toString());
    }

    @Test
    void longVectorWrapsAtEightyColumns() {
        // int mode, width len("19")+1 = 3, so (80 - 7) / (3 + 2) = 14 per line, continuation indented 8
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                + "        14., 15., 16., 17., 18., 19.], shape=[20], dtype=float32, device=cpu)",
                Tensor.arange(20).toString());
    }

    @Test
    void matrixRowsAlignUnderTheFirst() {
        Tensor t = Tensor.of(new float[] {0.1f, -1.5f, 2f, 0f}, 2, 2);
        assertEquals("tensor([[ 0.1000, -1.5000],\n"
                + "        [ 2.0000,  0.0000]], shape=[2, 2], dtype=float32, device=cpu)", t.toString());
        Tensor ints = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals("tensor([[1., 2., 3.],\n"
                + "        [4., 5., 6.]], shape=[2, 3], dtype=float32, device=cpu)", ints.toString());
    }

    @Test
    void transposedViewPrintsInLogicalOrder() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
        assertEquals("tensor([[1., 4.],\n"
                + "        [2., 5.],\n"
                + "        [3., 6.]], shape=[3, 2], dtype=float32, device=cpu)", t.toString());
    }

    @Test
    void largeTensorIsSummarisedAndOnlyShownElementsAreRead() {
        int[] shape = {2, 3, 50257};
        float[] data = new float[2 * 3 * 50257];
        CountingStorage storage = new CountingStorage(new HeapStorage(data));
        Tensor t = Tensor.view(storage, shape, Shape.contiguousStrides(shape), 0);
        t.set(0.1234f, 0, 0, 0).set(-1.5f, 0, 0, 1).set(2f, 0, 0, 50256).set(-0.5f, 1, 2, 50255);
        // hidden: if the formatter saw it, max/min > 1000 would switch every value to scientific
        t.set(1e9f, 1, 1, 100);
        float[] before = data.clone();
        storage.gets = 0;
        String zeros = "[ 0.0000,  0.0000,  0.0000,  ...,  0.0000,  0.0000,  0.0000]";
        // last line is 71 chars (torch counts 73): ", shape=[2, 3, 50257]" would pass 80, so the suffixes wrap
        String expected = "tensor([[[ 0.1234, -1.5000,  0.0000,  ...,  0.0000,  0.0000,  2.0000],\n"
                + "         " + zeros + ",\n"
                + "         " + zeros + "],\n"
                + "\n"
                + "        [" + zeros + ",\n"
                + "         " + zeros + ",\n"
                + "         [ 0.0000,  0.0000,  0.0000,  ...,  0.0000, -0.5000,  0.0000]]],\n"
                + "       shape=[2, 3, 50257], dtype=float32, device=cpu)";
        assertEquals(expected, t.toString());
        assertEquals(2 * 3 * 6, storage.gets, "reads only the 36 shown elements");
        assertArrayEquals(before, data, "printing changes nothing");
    }

    @Test
    void summarisedRowsShowAnEllipsisLine() {
        String row = "[0., 0., 0.,  ..., 0., 0., 0.]";
        String expected = "tensor([" + row + ",\n"
                + "        " + row + ",\n"
                + "        " + row + ",\n"
                + "        ...,\n"
                + "        " + row + ",\n"
                + "        " + row + ",\n"
                + "        " + row + "], shape=[8, 200], dtype=float32,\n"
                + "       device=cpu)";
        assertEquals(expected, Tensor.zeros(8, 200).toString());
    }

    @Test
    void emptyTensorAndShapeString() {
        assertEquals("tensor([], shape=[0, 3], dtype=float32, device=cpu)", Tensor.zeros(0, 3).toString());
        assertEquals("[2, 3, 50257]", Tensor.view(new HeapStorage(new float[1]), new int[] {2, 3, 50257},
                new int[] {0, 0, 0}, 0).shapeString());
        assertEquals("[]", Tensor.scalar(1f).shapeString());
    }

    @Test
    void nonFiniteValuesAndNegativeZero() {
        // width comes from the finite nonzero values only ("-2." = 3); nan and inf are padded to it
        Tensor t = Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -2f, -0f}, 4);
        assertEquals("tensor([nan, inf, -2., -0.], shape=[4], dtype=float32, device=cpu)", t.toString());
    }

    /** A heap storage that counts element reads. */
    private static final class CountingStorage implements Storage {
        private final Storage inner;
        int gets;

        CountingStorage(Storage inner) {
            this.inner = inner;
        }

        @Override
        public DType dtype() {
            return inner.dtype();
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public Device device() {
            return inner.device();
        }

        @Override
        public float get(long index) {
            gets++;
            return inner.get(index);
        }

        @Override
        public void set(long index, float value) {
            inner.set(index, value);
        }
    }
}
