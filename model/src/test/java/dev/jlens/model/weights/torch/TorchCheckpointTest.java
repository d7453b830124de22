// A torch.save-shaped zip written by hand reads back as the tensors written: dtypes, views, parameters, buffers.
package dev.jlens.model.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.SegmentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointTest {
    @TempDir
    Path dir;

    private static byte[] halves(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(Float.floatToFloat16(v));
        }
        return b.array();
    }

    private static byte[] bfloat16(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort((short) (Float.floatToIntBits(v) >>> 16)); // exact: the values have 8-bit mantissas
        }
        return b.array();
    }

    @Test
    void readsDtypesViewsParametersAndBuffers() throws IOException {
        PickleBytes p = new PickleBytes().stateDictStart();
        p.str("a").tensor("FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1});
        p.str("aT").tensor("FloatStorage", "0", 12, 0, new long[] {4, 3}, new long[] {1, 4});
        p.str("row").tensor("FloatStorage", "0", 12, 4, new long[] {4}, new long[] {1});
        p.str("h").tensor("HalfStorage", "1", 3, 0, new long[] {3}, new long[] {1});
        p.str("b").tensor("BFloat16Storage", "2", 2, 0, new long[] {2}, new long[] {1});
        p.str("pos").tensor("LongStorage", "3", 2, 0, new long[] {2}, new long[] {1});
        p.str("p").global("torch._utils", "_rebuild_parameter").op('(');
        p.tensor("FloatStorage", "0", 12, 11, new long[] {}, new long[] {});
        p.op(0x88).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        p.op('u');
        p.op('}').str("_metadata").global("collections", "OrderedDict").op(')').op('R').op('s').op('b').op('.');
        float[] floats = new float[12];
        for (int i = 0; i < 12; i++) {
            floats[i] = i * 0.5f - 1;
        }
        byte[] zip = new TorchZipBytes().pickle(p.bytes()).floats("0", floats).storage("1", halves(1.5f, -2f, 65504f))
                .storage("2", bfloat16(3f, -0.5f)).storage("3", new byte[16]).entry("archive/byteorder",
                        "little".getBytes()).bytes();
        Path file = Files.write(dir.resolve("sd.pth"), zip);
        try (TorchCheckpoint ck = TorchCheckpoint.open(file)) {
            Map<String, Tensor> t = ck.tensors();
            assertEquals(List.of("a", "aT", "row", "h", "b", "p"), List.copyOf(t.keySet()));
            assertArrayEquals(new int[] {3, 4}, t.get("a").shape());
            assertEquals(floats[1 * 4 + 2], t.get("a").get(1, 2));
            assertEquals(floats[1 * 4 + 2], t.get("aT").get(2, 1)); // the transposed view reads the same element
            assertSame(t.get("a").storage(), t.get("aT").storage());
            assertTrue(((SegmentStorage) t.get("a").storage()).segment().isMapped(), "a view of the file, no copy");
            assertArrayEquals(new float[] {1f, 1.5f, 2f, 2.5f}, t.get("row").toArray());
            assertArrayEquals(new float[] {1.5f, -2f, 65504f}, t.get("h").toArray());
            assertArrayEquals(new float[] {3f, -0.5f}, t.get("b").toArray());
            assertEquals(floats[11], t.get("p").item());
            assertEquals(Map.of("pos", "LONG [2] of storage '3'"), ck.otherTensors());
        }
    }
}
