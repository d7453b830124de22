// Test helper: writes pickle opcodes by hand, so hostile pickles are made without running any Python.
package dev.jlens.model.weights.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A protocol 2 pickle assembled opcode by opcode; {@link #at()} gives the offset the next opcode will have. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Offsets of the last tensor's BINPERSID and of its _rebuild_tensor_v2 REDUCE. */
    int persid;
    int rebuild;

    PickleBytes proto() {
        return op(0x80).op(2);
    }

    PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBytes op(int code) {
        out.write(code);
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBytes str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        op('X').i32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').i32((int) v);
        }
        op(0x8a).op(8);
        for (int i = 0; i < 8; i++) {
            op((int) (v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** A tuple of ints: MARK, each, TUPLE. */
    PickleBytes ints(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    PickleBytes i32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    PickleBytes put(int memo) {
        return op('q').op(memo);
    }

    PickleBytes get(int memo) {
        return op('h').op(memo);
    }

    /**
     * _rebuild_tensor_v2(storage, offset, shape, strides, False, OrderedDict()) with the storage a persistent id
     * ('storage', torch.{type}, key, 'cpu', numel).
     */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] shape, long[] strides) {
        return tensor(type, key, numel, offset, shape, strides, false);
    }

    /** As above; {@code legacy} adds the legacy format's sixth id field, view_metadata None. */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] shape, long[] strides,
            boolean legacy) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').str("storage").global("torch", type).str(key).str("cpu").integer(numel);
        if (legacy) {
            op('N');
        }
        op('t');
        persid = at();
        op('Q');
        integer(offset).ints(shape).ints(strides).op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        op('t');
        rebuild = at();
        return op('R');
    }

    /** The start of a state dict: PROTO 2, OrderedDict(), MARK for its SETITEMS. */
    PickleBytes stateDictStart() {
        return proto().global("collections", "OrderedDict").op(')').op('R').op('(');
    }

    /** SETITEMS then STOP. */
    PickleBytes stateDictEnd() {
        return op('u').op('.');
    }

    int at() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
