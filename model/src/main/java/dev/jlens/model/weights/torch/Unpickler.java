// A pickle reader that builds data and never code: the protocol 2 opcodes torch.save writes (and protocol 4's
// framing), globals limited to TorchGlobals' whitelist, every size bounded before anything is allocated.
//
// Mirrors the pure-Python pickle._Unpickler of CPython (Lib/pickle.py) for the opcodes it keeps; any other opcode
// is refused by name. Limits: the stack, the memo and each container hold at most MAX_ITEMS values, containers and
// MARKs nest at most MAX_DEPTH deep, every length is checked against the bytes left before it is read, so what a
// pickle of n bytes can make is O(n) objects and nothing recurses over them.
package dev.jlens.model.weights.torch;

import dev.jlens.model.weights.torch.Pickled.Global;
import dev.jlens.model.weights.torch.Pickled.None;
import dev.jlens.model.weights.torch.Pickled.PyDict;
import dev.jlens.model.weights.torch.Pickled.PyList;
import dev.jlens.model.weights.torch.Pickled.Tuple;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads one pickle into {@link Pickled} values; storages come from a persistent-id callback. */
final class Unpickler {
    /** Most values on the stack, in the memo, or in one container. */
    static final int MAX_ITEMS = 1 << 20;
    /** Deepest nesting of containers, and of MARKs. */
    static final int MAX_DEPTH = 64;
    private static final int MAX_GLOBAL_LINE = 256;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong F64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Resolves BINPERSID's id (a tuple) read at a byte offset into a storage. */
    interface PersistentLoader {
        /** The storage that {@code pid}, read at pickle byte {@code offset}, names. */
        StorageRef load(Tuple pid, long offset);
    }

    private final Path path;
    private final String name;
    private final MemorySegment bytes;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long opStart;

    /** A pickle's value and the offset just past its STOP. */
    record Loaded(Object value, long end) {}

    private Unpickler(Path path, String name, MemorySegment bytes, long start, PersistentLoader persistent) {
        this.path = path;
        this.name = name;
        this.bytes = bytes;
        this.persistent = persistent;
        this.pos = start;
    }

    /** The value the pickle {@code bytes} (entry {@code name} of {@code path}, for errors) builds. */
    static Object load(Path path, String name, MemorySegment bytes, PersistentLoader persistent) {
        return loadAt(path, name, bytes, 0, persistent).value();
    }

    /** The pickle starting at offset {@code start} of {@code bytes} (several follow each other in legacy files). */
    static Loaded loadAt(Path path, String name, MemorySegment bytes, long start, PersistentLoader persistent) {
        Unpickler u = new Unpickler(path, name, bytes, start, persistent);
        return new Loaded(u.run(), u.pos);
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            if (op == '.') { // STOP
                if (stack.size() != 1 || !marks.isEmpty()) {
                    throw error("STOP with " + stack.size() + " values and " + marks.size() + " marks left");
                }
                return stack.getFirst();
            }
            step(op);
        }
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> protocol(u8());                               // PROTO
            case 0x95 -> need(8).skip(8);                              // FRAME (protocol 4): a length, nothing else
            case '(' -> mark();                                        // MARK
            case '}' -> push(new PyDict());                            // EMPTY_DICT
            case ']' -> push(new PyList());                            // EMPTY_LIST
            case ')' -> push(tuple(List.of()));                        // EMPTY_TUPLE
            case 't' -> push(tuple(popMark()));                        // TUPLE
            case 0x85, 0x86, 0x87 -> push(tuple(popN(op - 0x84)));     // TUPLE1..3
            case 'J' -> push((long) need(4).bytes.get(I32, skip(4)));  // BININT
            case 'K' -> push((long) u8());                             // BININT1
            case 'M' -> push((long) (u8() | u8() << 8));               // BININT2
            case 0x8a -> push(long1(u8()));                            // LONG1
            case 'X' -> push(utf8(u32()));                             // BINUNICODE
            case 0x8c -> push(utf8(u8()));                             // SHORT_BINUNICODE
            case 'G' -> push(Double.longBitsToDouble(need(8).bytes.get(F64, skip(8)))); // BINFLOAT
            case 'N' -> push(None.NONE);                               // NONE
            case 0x88 -> push(Boolean.TRUE);                           // NEWTRUE
            case 0x89 -> push(Boolean.FALSE);                          // NEWFALSE
            case 'q' -> memoize(u8());                                 // BINPUT
            case 'r' -> memoize(u32());                                // LONG_BINPUT
            case 0x94 -> memoize(memo.size());                         // MEMOIZE
            case 'h' -> push(recall(u8()));                            // BINGET
            case 'j' -> push(recall(u32()));                           // LONG_BINGET
            case 'c' -> push(TorchGlobals.resolve(line(), line(), this::error)); // GLOBAL
            case 0x93 -> stackGlobal();                                // STACK_GLOBAL
            case 'R' -> reduce();                                      // REDUCE
            case 'b' -> build();                                       // BUILD
            case 's' -> setItems(topN(2));                             // SETITEM
            case 'u' -> setItems(toMark());                            // SETITEMS
            case 'a' -> append(topN(1));                               // APPEND
            case 'e' -> append(toMark());                              // APPENDS
            case 'Q' -> push(persistent.load(pop(Tuple.class, "a persistent id"), opStart)); // BINPERSID
            default -> throw error("opcode 0x" + Integer.toHexString(op) + printable(op) + " is not one a state dict"
                    + " needs; refused");
        }
    }

    private void protocol(int version) {
        if (version < 2 || version > 5) {
            throw error("pickle protocol " + version + " is not 2 to 5");
        }
    }

    private void mark() {
        if (marks.size() >= MAX_DEPTH) {
            throw error("MARKs nest deeper than " + MAX_DEPTH + "; refused as a recursion bomb");
        }
        marks.add(stack.size());
    }

    private void stackGlobal() {
        String global = pop(String.class, "a global's name");
        String module = pop(String.class, "a global's module");
        push(TorchGlobals.resolve(module, global, this::error));
    }

    private void reduce() {
        Tuple args = pop(Tuple.class, "REDUCE's arguments");
        Global callable = pop(Global.class, "REDUCE's callable");
        push(TorchGlobals.call(callable, args, this::error));
    }

    /** BUILD on an OrderedDict sets attributes (a state dict's _metadata): read, checked to be a dict, dropped. */
    private void build() {
        Object state = pop(Object.class, "BUILD's state");
        Object target = peek();
        if (!(target instanceof PyDict) || !(state instanceof PyDict || state instanceof None)) {
            throw error("BUILD of " + Pickled.describe(target) + " with " + Pickled.describe(state) + "; only an "
                    + "OrderedDict's attributes are accepted");
        }
    }

    /** Moves the keys and values {@code items} (the top of the stack) into the dict below them. */
    private void setItems(List<Object> items) {
        if (items.size() % 2 != 0) {
            throw error("SETITEMS with an odd number (" + items.size() + ") of keys and values");
        }
        PyDict dict = below(items, PyDict.class, "SETITEM's dict");
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (!(key instanceof String) && !(key instanceof Long)) {
                throw error("a dict key is " + Pickled.describe(key) + "; only str and int keys are accepted");
            }
            dict.items.put(key, items.get(i + 1));
            dict.depth = nested(dict.depth, items.get(i + 1));
            size(dict.items.size());
        }
        items.clear();
    }

    /** Moves {@code items} (the top of the stack) into the list below them. */
    private void append(List<Object> items) {
        PyList list = below(items, PyList.class, "APPEND's list");
        for (Object item : items) {
            list.items.add(item);
            list.depth = nested(list.depth, item);
            size(list.items.size());
        }
        items.clear();
    }

    /** The value under the stack's top {@code items}, which must be a {@code type}. */
    private <T> T below(List<Object> items, Class<T> type, String what) {
        int at = stack.size() - items.size() - 1;
        Object v = at < (marks.isEmpty() ? 0 : marks.getLast()) ? null : stack.get(at);
        if (!type.isInstance(v)) {
            throw error(what + " is " + (v == null ? "missing" : Pickled.describe(v)));
        }
        return type.cast(v);
    }

    private Tuple tuple(List<Object> items) {
        int depth = 1;
        for (Object item : items) {
            depth = nested(depth, item);
        }
        return new Tuple(List.copyOf(items), depth);
    }

    /** A container's depth after {@code item} goes in, refused past MAX_DEPTH. */
    private int nested(int depth, Object item) {
        int d = Math.max(depth, Pickled.depth(item) + 1);
        if (d > MAX_DEPTH) {
            throw error("containers nest deeper than " + MAX_DEPTH + " levels; refused as a recursion bomb");
        }
        return d;
    }

    private void size(int n) {
        if (n > MAX_ITEMS) {
            throw error("a container grows past " + MAX_ITEMS + " items; no state dict has that many");
        }
    }

    private void memoize(long index) {
        if (memo.size() >= MAX_ITEMS && !memo.containsKey(index)) {
            throw error("the memo grows past " + MAX_ITEMS + " entries");
        }
        memo.put(index, peek());
    }

    private Object recall(long index) {
        Object v = memo.get(index);
        if (v == null) {
            throw error("memo entry " + index + " was never stored");
        }
        return v;
    }

    private Long long1(int n) {
        if (n > 8) {
            throw error("an integer of " + n + " bytes does not fit 64 bits");
        }
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return n == 0 ? 0L : v << (64 - 8 * n) >> (64 - 8 * n); // sign-extend the n-byte two's complement
    }

    private String utf8(long length) {
        need(length);
        byte[] raw = bytes.asSlice(skip(length), length).toArray(ValueLayout.JAVA_BYTE);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw error("a string of " + length + " bytes is not UTF-8");
        }
    }

    /** A GLOBAL operand: ASCII up to a newline, at most MAX_GLOBAL_LINE bytes. */
    private String line() {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return s.toString();
            }
            if (c < 0x20 || c > 0x7e || s.length() >= MAX_GLOBAL_LINE) {
                throw error("GLOBAL's operand is not a short line of printable ASCII");
            }
            s.append((char) c);
        }
    }

    private void push(Object value) {
        if (stack.size() >= MAX_ITEMS) {
            throw error("the stack grows past " + MAX_ITEMS + " values");
        }
        stack.add(value);
    }

    private Object peek() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.getLast() == stack.size())) {
            throw error("the stack is empty");
        }
        return stack.getLast();
    }

    private <T> T peekAs(Class<T> type, String what) {
        Object v = peek();
        if (!type.isInstance(v)) {
            throw error(what + " is " + Pickled.describe(v));
        }
        return type.cast(v);
    }

    private <T> T pop(Class<T> type, String what) {
        T v = peekAs(type, what);
        stack.removeLast();
        return v;
    }

    /** The top {@code n} values, copied off the stack. */
    private List<Object> popN(int n) {
        List<Object> top = topN(n);
        List<Object> items = List.copyOf(top);
        top.clear();
        return items;
    }

    /** The values above the last MARK, copied off the stack, the MARK popped. */
    private List<Object> popMark() {
        List<Object> top = toMark();
        List<Object> items = List.copyOf(top);
        top.clear();
        return items;
    }

    /** A view of the top {@code n} values (clearing it pops them). */
    private List<Object> topN(int n) {
        int floor = marks.isEmpty() ? 0 : marks.getLast();
        if (stack.size() - floor < n) {
            throw error("the stack holds " + (stack.size() - floor) + " values, the opcode needs " + n);
        }
        return stack.subList(stack.size() - n, stack.size());
    }

    /** A view of the values above the last MARK, which is popped (clearing the view pops them). */
    private List<Object> toMark() {
        if (marks.isEmpty()) {
            throw error("no MARK to pop to");
        }
        return stack.subList(marks.removeLast(), stack.size());
    }

    private int u8() {
        need(1);
        return bytes.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    private long u32() {
        return need(4).bytes.get(I32, skip(4)) & 0xFFFFFFFFL;
    }

    /** Throws when fewer than {@code n} bytes are left; returns this for chaining. */
    private Unpickler need(long n) {
        if (n > bytes.byteSize() - pos) {
            throw error("the pickle ends after " + bytes.byteSize() + " bytes, inside an operand of " + n
                    + " bytes; truncated");
        }
        return this;
    }

    /** Advances past {@code n} bytes, returning where they start. */
    private long skip(long n) {
        long at = pos;
        pos += n;
        return at;
    }

    private static String printable(int op) {
        return op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "";
    }

    /** An error at the current opcode, naming the entry and its byte offset. */
    TorchFormatException error(String detail) {
        return new TorchFormatException(path, name + " byte " + opStart + ": " + detail);
    }
}
