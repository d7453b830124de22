// The whitelist: the only Python globals a state-dict pickle may name, and what calling each one builds (data only).
//
// torch.save(model.state_dict()) pickles an OrderedDict of tensors; each tensor is
// torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
// (torch/_tensor.py __reduce_ex__, torch/_utils.py), a Parameter is _rebuild_parameter(tensor, requires_grad,
// backward_hooks), and a storage is named by its type, torch.FloatStorage etc., inside a persistent id. Anything
// else (os.system, builtins.eval, subprocess.Popen, any class) is refused when GLOBAL names it, before any call.
package dev.jlens.model.weights.torch;

import dev.jlens.model.weights.torch.Pickled.Global;
import dev.jlens.model.weights.torch.Pickled.None;
import dev.jlens.model.weights.torch.Pickled.PyDict;
import dev.jlens.model.weights.torch.Pickled.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Resolves GLOBAL against the whitelist and performs REDUCE for the whitelisted callables. */
final class TorchGlobals {
    private static final Global ORDERED_DICT = new Global("collections", "OrderedDict");
    private static final Global REBUILD_TENSOR = new Global("torch._utils", "_rebuild_tensor_v2");
    private static final Global REBUILD_PARAMETER = new Global("torch._utils", "_rebuild_parameter");
    private static final List<Global> CALLABLE = List.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER);

    private TorchGlobals() {}

    /** The global {@code module.name} when whitelisted; else the error naming it. */
    static Global resolve(String module, String name, Function<String, TorchFormatException> error) {
        Global g = new Global(module, name);
        if (CALLABLE.contains(g) || storageType(g) != null) {
            return g;
        }
        throw error.apply("refuses global " + g + ": a state dict holds only tensors and ordered dicts (allowed: "
                + CALLABLE + " and torch.*Storage of " + Arrays.toString(TorchDType.values()) + ")");
    }

    /** The storage type a global such as torch.FloatStorage names, or null. */
    static TorchDType storageType(Global g) {
        return g.module().equals("torch") ? TorchDType.ofStorage(g.name()) : null;
    }

    /** What calling {@code callable} with {@code args} builds: a dict, a tensor view, or the parameter's tensor. */
    static Object call(Global callable, Tuple args, Function<String, TorchFormatException> error) {
        List<Object> a = args.items();
        if (callable.equals(ORDERED_DICT)) {
            if (!a.isEmpty()) {
                throw error.apply("OrderedDict called with " + a.size() + " arguments; torch.save passes none");
            }
            return new PyDict();
        }
        if (callable.equals(REBUILD_PARAMETER)) {
            arity(callable, a, 3, 3, error);
            return arg(a, 0, TorchTensor.class, "data", error);
        }
        if (callable.equals(REBUILD_TENSOR)) {
            arity(callable, a, 6, 7, error);
            return rebuildTensor(a, error);
        }
        throw error.apply(callable + " may only name a storage's type in a persistent id; it cannot be called");
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static TorchTensor rebuildTensor(List<Object> a, Function<String, TorchFormatException> error) {
        StorageRef storage = arg(a, 0, StorageRef.class, "storage", error);
        long offset = arg(a, 1, Long.class, "storage_offset", error);
        List<Object> size = arg(a, 2, Tuple.class, "size", error).items();
        List<Object> stride = arg(a, 3, Tuple.class, "stride", error).items();
        arg(a, 4, Boolean.class, "requires_grad", error);
        if (!arg(a, 5, PyDict.class, "backward_hooks", error).items.isEmpty()) {
            throw error.apply("a tensor with backward hooks; a state dict has none");
        }
        if (a.size() == 7 && !(a.get(6) instanceof None) && !(a.get(6) instanceof PyDict d && d.items.isEmpty())) {
            throw error.apply("tensor metadata " + Pickled.describe(a.get(6)) + " is not supported");
        }
        if (size.size() != stride.size()) {
            throw error.apply("a tensor's size has " + size.size() + " dims but its stride " + stride.size());
        }
        int[] shape = new int[size.size()];
        long[] strides = new long[size.size()];
        for (int i = 0; i < shape.length; i++) {
            long n = element(size, i, "size", error);
            if (n > Integer.MAX_VALUE) {
                throw error.apply("dimension " + i + " of size " + n + " is larger than 2^31 - 1");
            }
            shape[i] = (int) n;
            strides[i] = element(stride, i, "stride", error);
        }
        TorchTensor t = new TorchTensor(storage, offset, shape, strides);
        checkInside(t, error);
        return t;
    }

    /** The element count fits a long and the last element the view reaches lies inside its storage. */
    private static void checkInside(TorchTensor t, Function<String, TorchFormatException> error) {
        long last = t.offset();
        long numel = 1;
        try {
            for (int i = 0; i < t.shape().length; i++) {
                numel = Math.multiplyExact(numel, t.shape()[i]);
                if (t.shape()[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(t.shape()[i] - 1L, t.strides()[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw error.apply("tensor of shape " + t.shapeString() + " and strides " + Arrays.toString(t.strides())
                    + " has more elements, or reaches further, than a long can count");
        }
        if (numel > 0 && last >= t.storage().numel()) {
            throw error.apply("tensor of shape " + t.shapeString() + ", strides " + Arrays.toString(t.strides())
                    + " at offset " + t.offset() + " reaches element " + last + " of storage '" + t.storage().key()
                    + "', which holds " + t.storage().numel());
        }
        if (t.offset() > Integer.MAX_VALUE || last > Integer.MAX_VALUE) {
            throw error.apply("tensor of shape " + t.shapeString() + " reaches element " + last + " of its storage;"
                    + " views past element 2^31 - 1 are not supported");
        }
    }

    private static long element(List<Object> dims, int i, String what, Function<String, TorchFormatException> error) {
        if (!(dims.get(i) instanceof Long n) || n < 0) {
            throw error.apply("a tensor's " + what + "[" + i + "] is " + Pickled.describe(dims.get(i))
                    + ", not an int >= 0");
        }
        return n;
    }

    private static void arity(Global g, List<Object> a, int min, int max,
            Function<String, TorchFormatException> error) {
        if (a.size() < min || a.size() > max) {
            throw error.apply(g + " called with " + a.size() + " arguments; it takes " + min
                    + (max > min ? " to " + max : ""));
        }
    }

    private static <T> T arg(List<Object> a, int i, Class<T> type, String what,
            Function<String, TorchFormatException> error) {
        if (!type.isInstance(a.get(i))) {
            throw error.apply("argument " + what + " is " + Pickled.describe(a.get(i)) + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(a.get(i));
    }
}
