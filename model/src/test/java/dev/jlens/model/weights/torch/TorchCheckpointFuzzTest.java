// The hostile-input corpus for the PyTorch reader (pickle is a code-execution format in Python): every file here is
// built byte by byte in Java, none by running Python. Each must give one TorchFormatException naming the problem
// and its offset or key, quickly, without allocating more than a small multiple of the file.
package dev.jlens.model.weights.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlens.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointFuzzTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("bad.pth");
    }

    private String error(byte[] zip) throws IOException {
        Files.write(file(), zip);
        return error(file());
    }

    private static String error(Path file) {
        return assertThrows(TorchFormatException.class, () -> TorchCheckpoint.open(file).close()).getMessage();
    }

    /** The pickle in a zip beside a 12-float storage "0". */
    private String pickleError(PickleBytes pickle) throws IOException {
        return error(new TorchZipBytes().pickle(pickle.bytes()).floats("0", new float[12]).bytes());
    }

    private String at(int offset) {
        return file() + ": archive/data.pkl byte " + offset + ": ";
    }

    private static PickleBytes oneTensor(long numel, long offset, long[] shape, long[] strides) {
        PickleBytes p = new PickleBytes().stateDictStart().str("w");
        return p.tensor("FloatStorage", "0", numel, offset, shape, strides).stateDictEnd();
    }

    /** The error of a state dict holding one tensor, which must be at that tensor's _rebuild_tensor_v2 call. */
    private String rebuildError(long numel, long offset, long[] shape, long[] strides) throws IOException {
        PickleBytes p = oneTensor(numel, offset, shape, strides);
        String message = pickleError(p);
        assertTrue(message.startsWith(at(p.rebuild)), message);
        return message.substring(at(p.rebuild).length());
    }

    @Test
    void globalsOutsideTheWhitelistAreRefusedByName() throws IOException {
        String[][] hostile = {{"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"builtins", "exec"},
            {"__builtin__", "getattr"}, {"subprocess", "Popen"}, {"torch.nn.modules.linear", "Linear"},
            {"numpy.core.multiarray", "_reconstruct"}, {"torch", "load"}, {"collections", "defaultdict"}};
        for (String[] g : hostile) {
            // the classic payload: os.system("touch pwned") via GLOBAL, MARK, string, TUPLE, REDUCE
            PickleBytes p = new PickleBytes().proto();
            int offset = p.at();
            p.global(g[0], g[1]).op('(').str("touch pwned").op('t').op('R').op('.');
            String message = pickleError(p);
            assertTrue(message.startsWith(at(offset) + "refuses global " + g[0] + "." + g[1] + ": a state dict holds "
                    + "only tensors and ordered dicts"), message);
        }
        PickleBytes stack = new PickleBytes().proto().str("os").str("system");
        int offset = stack.at();
        stack.op(0x93).op('.'); // STACK_GLOBAL (protocol 4) names it from the stack instead
        assertTrue(pickleError(stack).startsWith(at(offset) + "refuses global os.system"));
        assertTrue(Files.notExists(Path.of("pwned")));
    }

    @Test
    void opcodesAStateDictDoesNotNeedAreRefused() throws IOException {
        PickleBytes inst = new PickleBytes().proto().op('(');
        int offset = inst.at();
        inst.op('i').op('.'); // INST: protocol 0's class instantiation
        assertEquals(at(offset) + "opcode 0x69 ('i') is not one a state dict needs; refused", pickleError(inst));
        PickleBytes obj = new PickleBytes().proto().global("collections", "OrderedDict").op(')');
        offset = obj.at();
        obj.op(0x81).op('.'); // NEWOBJ
        assertEquals(at(offset) + "opcode 0x81 is not one a state dict needs; refused", pickleError(obj));
    }

    @Test
    void whitelistedNamesCannotBeMisused() throws IOException {
        PickleBytes callStorage = new PickleBytes().proto().global("torch", "FloatStorage").op(')');
        int offset = callStorage.at();
        callStorage.op('R').op('.');
        assertEquals(at(offset) + "torch.FloatStorage may only name a storage's type in a persistent id; it cannot be "
                + "called", pickleError(callStorage));
        PickleBytes build = new PickleBytes().proto().global("torch._utils", "_rebuild_tensor_v2").op('}');
        offset = build.at();
        build.op('b').op('.');
        assertEquals(at(offset) + "BUILD of global torch._utils._rebuild_tensor_v2 with dict of 0; only an "
                + "OrderedDict's attributes are accepted", pickleError(build));
        PickleBytes hooks = new PickleBytes().stateDictStart().str("w").global("torch._utils", "_rebuild_tensor_v2");
        hooks.op('(').op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(12).op('t');
        hooks.op('Q').integer(0).ints(12).ints(1).op(0x89).op('}').integer(1).str("hook").op('s');
        offset = hooks.at() + 1;
        hooks.op('t').op('R').stateDictEnd();
        assertEquals(at(offset) + "a tensor with backward hooks; a state dict has none", pickleError(hooks));
    }

    @Test
    void truncatedAtEveryLengthIsAnErrorNeverACrash() throws IOException {
        byte[] good = new TorchZipBytes().pickle(oneTensor(12, 0, new long[] {3, 4}, new long[] {4, 1}).bytes())
                .floats("0", new float[12]).bytes();
        Files.write(file(), good);
        TorchCheckpoint.open(file()).close();
        for (int n = 0; n < good.length; n++) {
            String message = error(Arrays.copyOf(good, n));
            assertTrue(message.startsWith(file() + ": "), message);
        }
        assertEquals(file() + ": no zip end-of-central-directory record in the last 100 bytes of 100; the file is "
                + "truncated or not a torch.save zip", error(Arrays.copyOf(good, 100)));
    }

    @Test
    void corruptedBytesGiveAnErrorOrTheFileNeverAnotherException() throws IOException {
        byte[] good = new TorchZipBytes().pickle(oneTensor(12, 0, new long[] {3, 4}, new long[] {4, 1}).bytes())
                .floats("0", new float[12]).bytes();
        SplittableRandom random = new SplittableRandom(19);
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            Files.write(file(), bad);
            try (TorchCheckpoint ck = TorchCheckpoint.open(file())) {
                ck.tensors().values().forEach(Tensor::toArray); // a file that opens must be readable to its end
            } catch (TorchFormatException expected) {
                assertTrue(expected.getMessage().startsWith(file() + ": "));
            }
        }
    }

    @Test
    void storagesOutsideTheirEntry() throws IOException {
        PickleBytes tooMany = oneTensor(13, 0, new long[] {13}, new long[] {1});
        assertEquals(at(tooMany.persid) + "storage '0' claims 13 FLOAT elements but its entry holds 48 bytes",
                pickleError(tooMany));
        assertEquals("tensor of shape [3, 4], strides [4, 1] at offset 1 reaches element 12 of storage '0', "
                + "which holds 12", rebuildError(12, 1, new long[] {3, 4}, new long[] {4, 1}));
        assertEquals("tensor of shape [2, 2], strides [12, 1] at offset 0 reaches element 13 of storage '0', "
                + "which holds 12", rebuildError(12, 0, new long[] {2, 2}, new long[] {12, 1}));
        PickleBytes missing = new PickleBytes().stateDictStart().str("w");
        missing.tensor("FloatStorage", "7", 12, 0, new long[] {12}, new long[] {1}).stateDictEnd();
        assertEquals(at(missing.persid) + "storage '7' has no zip entry archive/data/7", pickleError(missing));
        PickleBytes twoTypes = new PickleBytes().stateDictStart().str("w");
        twoTypes.tensor("FloatStorage", "0", 12, 0, new long[] {12}, new long[] {1});
        twoTypes.str("v").tensor("HalfStorage", "0", 24, 0, new long[] {24}, new long[] {1}).stateDictEnd();
        assertTrue(pickleError(twoTypes).endsWith("storage '0' is named as FLOAT x 12 and as HALF x 24"));
    }

    @Test
    void absurdShapes() throws IOException {
        long big = 1L << 30;
        assertEquals("tensor of shape [1073741824, 1073741824, 1073741824] and strides [0, 0, 0] has more "
                + "elements, or reaches further, than a long can count",
                rebuildError(12, 0, new long[] {big, big, big}, new long[] {0, 0, 0}));
        assertEquals("dimension 0 of size 4294967296 is larger than 2^31 - 1",
                rebuildError(12, 0, new long[] {1L << 32}, new long[] {0}));
        assertEquals("a tensor's size[0] is int -3, not an int >= 0",
                rebuildError(12, 0, new long[] {-3}, new long[] {1}));
        assertEquals("a tensor's size has 2 dims but its stride 1",
                rebuildError(12, 0, new long[] {3, 4}, new long[] {1}));
        assertEquals("tensor of shape [2], strides [9223372036854775807] at offset 0 reaches element "
                + "9223372036854775807 of storage '0', which holds 12",
                rebuildError(12, 0, new long[] {2}, new long[] {Long.MAX_VALUE}));
    }

    @Test
    void recursionBombsAreRefusedAtTheirDepth() throws IOException {
        PickleBytes tuples = new PickleBytes().proto().op(')');
        for (int i = 0; i < 100_000; i++) {
            tuples.op(0x85); // TUPLE1: (x,) around the last
        }
        assertEquals(at(2 + 1 + 63) + "containers nest deeper than 64 levels; refused as a recursion bomb",
                pickleError(tuples.op('.')));
        PickleBytes marks = new PickleBytes().proto();
        for (int i = 0; i < 100_000; i++) {
            marks.op('(');
        }
        assertEquals(at(2 + 64) + "MARKs nest deeper than 64; refused as a recursion bomb",
                pickleError(marks.op('.')));
        PickleBytes selfNested = new PickleBytes().proto().op(']').put(0); // l = []; l.append(l) until refused
        int first = selfNested.at();
        for (int i = 0; i < 1000; i++) {
            selfNested.get(0).op('a');
        }
        assertEquals(at(first + 3 * 63 + 2) + "containers nest deeper than 64 levels; refused as a recursion bomb",
                pickleError(selfNested.op('.')));
    }

    @Test
    void aDictOfTenMillionEntriesIsRefusedWithinTheFilesSize() throws IOException {
        Path big = file();
        long start;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("data.pkl")), 1 << 16)) {
            out.write(new PickleBytes().proto().op('}').op('q').op(0).bytes());
            start = 5;
            byte[] item = {'(', 'J', 0, 0, 0, 0, 'N', 'u'}; // MARK, key, None, SETITEMS: one new entry each time
            for (int i = 0; i < 10_000_000; i++) {
                item[2] = (byte) i;
                item[3] = (byte) (i >>> 8);
                item[4] = (byte) (i >>> 16);
                out.write(item);
            }
            out.write('.');
        }
        byte[] pickle = Files.readAllBytes(dir.resolve("data.pkl"));
        Files.write(big, new TorchZipBytes().pickle(pickle).bytes());
        long size = Files.size(big);
        pickle = null;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String message = error(big);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long refusedAt = start + 8L * (1 << 20) + 7; // the SETITEMS of entry 2^20 + 1
        assertEquals(at((int) refusedAt) + "a container grows past 1048576 items; no state dict has that many",
                message);
        System.out.printf("a dict of 10^7 entries: refused after allocating %d bytes for a file of %d%n", allocated,
                size);
        assertTrue(allocated < 2 * size, "allocated " + allocated + " bytes reading a file of " + size);
    }

    @Test
    void aZipDirectoryClaimingTenMillionEntries() throws IOException {
        byte[] good = new TorchZipBytes().pickle(new PickleBytes().proto().op('}').op('.').bytes()).bytes();
        int eocd = good.length - 22;
        // a ZIP64 end record and locator claiming 10^7 entries, then an EOCD that defers to them
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(good.length + 56 + 20).order(java.nio.ByteOrder
                .LITTLE_ENDIAN);
        b.put(good, 0, eocd);
        int dirOffset = java.nio.ByteBuffer.wrap(good, eocd + 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        int dirSize = java.nio.ByteBuffer.wrap(good, eocd + 12, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        b.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(10_000_000).putLong(10_000_000).putLong(dirSize).putLong(dirOffset);
        b.putInt(0x07064b50).putInt(0).putLong(eocd).putInt(1);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) -1).putShort((short) -1)
                .putInt(-1).putInt(-1).putShort((short) 0);
        assertEquals(file() + ": the zip directory claims 10000000 entries but its " + dirSize + " bytes hold at most "
                + dirSize / 46, error(b.array()));
    }

    @Test
    void notAStateDict() throws IOException {
        assertEquals(file() + ": the pickle holds list of 0, not a state dict (save it with torch.save("
                + "model.state_dict(), path))", pickleError(new PickleBytes().proto().op(']').op('.')));
        PickleBytes nested = new PickleBytes().stateDictStart().str("model").op('}').stateDictEnd();
        assertEquals(file() + ": state dict key 'model' holds dict of 0, not a tensor (save model.state_dict() "
                + "itself)", pickleError(nested));
        PickleBytes tupleKey = new PickleBytes().proto().op('}').op(')').op('N');
        int offset = tupleKey.at();
        tupleKey.op('s').op('.');
        assertEquals(at(offset) + "a dict key is tuple of 0; only str and int keys are accepted",
                pickleError(tupleKey));
        PickleBytes memo = new PickleBytes().proto();
        offset = memo.at();
        memo.get(7).op('.');
        assertEquals(at(offset) + "memo entry 7 was never stored", pickleError(memo));
    }

    /** A legacy-format file holding {w: float [3, 4]} whose storage header says {@code count} elements. */
    static byte[] legacy(long count) {
        PickleBytes p = new PickleBytes().raw((byte) 0x80, (byte) 2, (byte) 0x8a, (byte) 10, (byte) 0x6c,
                (byte) 0xfc, (byte) 0x9c, (byte) 0x46, (byte) 0xf9, (byte) 0x20, (byte) 0x6a, (byte) 0xa8, (byte) 0x50,
                (byte) 0x19, (byte) '.');
        p.proto().op('M').op(0xe9).op(0x03).op('.');                          // protocol version 1001
        p.proto().op('}').str("little_endian").op(0x88).op('s').op('.');       // sys_info
        p.proto().op('}').op('(').str("w");
        p.tensor("FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1}, true).op('u').op('.');
        p.proto().op(']').op('(').str("0").op('e').op('.');                   // the storage keys
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(8 + 48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.putLong(count);
        for (int i = 0; i < 12; i++) {
            data.putFloat(i + 0.5f);
        }
        return p.raw(data.array()).bytes();
    }

    @Test
    void theLegacyFormatReadsAndEveryTruncationOrCorruptionIsAnError() throws IOException {
        byte[] good = legacy(12);
        Files.write(file(), good);
        try (TorchCheckpoint ck = TorchCheckpoint.open(file())) {
            assertEquals(6.5f, ck.tensors().get("w").get(1, 2));
        }
        assertEquals(file() + ": storage '0' at byte " + (good.length - 56) + ": its element count 13 differs from the "
                + "12 the object names", error(legacy(13)));
        for (int n = 0; n < good.length; n++) {
            String message = error(Arrays.copyOf(good, n));
            assertTrue(message.startsWith(file() + ": "), message);
        }
        SplittableRandom random = new SplittableRandom(6);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = good.clone();
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            Files.write(file(), bad);
            try (TorchCheckpoint ck = TorchCheckpoint.open(file())) {
                ck.tensors().values().forEach(Tensor::toArray);
            } catch (TorchFormatException expected) {
                assertTrue(expected.getMessage().startsWith(file() + ": "));
            }
        }
    }

    @Test
    void otherFileFormats() throws IOException {
        assertEquals(file() + ": neither a torch.save zip nor the legacy format: it starts with neither a zip header "
                + "nor the legacy magic number (3 bytes)", error("{}\n".getBytes()));
        byte[] deflated = new TorchZipBytes().pickle(new PickleBytes().proto().op('}').op('.').bytes())
                .deflatePickle().bytes();
        assertEquals(file() + ": zip entry 'archive/data.pkl' is compressed (method 8); torch.save stores entries "
                + "uncompressed, so it was re-zipped: re-save it", error(deflated));
        byte[] twoArchives = new TorchZipBytes().pickle(new byte[] {'.'}).entry("other/data.pkl", new byte[] {'.'})
                .bytes();
        assertEquals(file() + ": expected one <folder>/data.pkl in the zip, found [archive/data.pkl, other/data.pkl] "
                + "among 2 entries; not a torch.save file", error(twoArchives));
        byte[] bigEndian = new TorchZipBytes().pickle(new byte[] {'.'}).entry("archive/byteorder", "big".getBytes())
                .bytes();
        assertEquals(file() + ": byteorder 'big'; only little-endian checkpoints are read", error(bigEndian));
    }
}
