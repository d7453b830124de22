// A float32 tensor: a strided view (shape, strides, offset) over a Storage; views share storage, ops allocate.
package dev.jlens.tensor;

import dev.jlens.tensor.backend.Backends;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.backend.UnaryOp;
import dev.jlens.tensor.storage.DeviceStorage;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.Storage;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An n-dimensional float32 tensor, PyTorch style. View methods ({@link #reshape}, {@link #permute},
 * {@link #slice}, {@link #select}, {@link #expand}, {@link #diagonal}, ...) share storage and never copy;
 * {@link #copyFrom} and {@link #fill} write into a view, which is how a hook writes {@code z[:, :, h, :] = 0}:
 * {@code z.select(2, h).fill(0)}. Compute ops validate their arguments here, then dispatch to
 * {@link Backends#current()} and return new tensors; inputs are never mutated. Dims may be negative
 * (counted from the end). Index results (argmax, topk) hold exact integers as floats.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---- construction ----

    /**
     * A view of {@code storage} (used by loaders and backends); checks that every element it can reach lies in
     * the storage.
     */
    public static Tensor view(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("view: shape " + Shape.str(shape) + " and strides "
                    + Shape.str(strides) + " differ in rank");
        }
        if (Shape.numel(shape) > 0) {
            long[] span = Shape.span(shape, strides, offset);
            if (span[0] < 0 || span[1] >= storage.size()) {
                throw new IndexOutOfBoundsException("view: shape " + Shape.str(shape) + ", strides "
                        + Shape.str(strides) + ", offset " + offset + " reaches elements " + span[0] + ".." + span[1]
                        + " of a storage of " + storage.size());
            }
        }
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    /** Wraps {@code data} (not copied) as a contiguous tensor of {@code shape}. */
    public static Tensor of(float[] data, int... shape) {
        if (data.length != Shape.numel(shape)) {
            throw new IllegalArgumentException("of: " + data.length + " values cannot fill shape " + Shape.str(shape)
                    + " (" + Shape.numel(shape) + " elements)");
        }
        return new Tensor(new HeapStorage(data), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /** A new zero-filled tensor on the heap. */
    public static Tensor zeros(int... shape) {
        return of(new float[Shape.numel(shape)], shape);
    }

    /** A new tensor with every element {@code value}. */
    public static Tensor full(float value, int... shape) {
        float[] data = new float[Shape.numel(shape)];
        Arrays.fill(data, value);
        return of(data, shape);
    }

    /** A rank-0 tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** [0, 1, ..., n-1] as a 1-D tensor. */
    public static Tensor arange(int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        return of(data, n);
    }

    /** Standard normal entries from a seeded generator: the same seed gives the same tensor everywhere. */
    public static Tensor randn(long seed, int... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i += 2) {
            // Box-Muller: two normals from two uniforms.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            data[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < data.length) {
                data[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return of(data, shape);
    }

    // ---- layout ----

    /** The sizes of each dim (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shape.dim(d, shape.length, "size")];
    }

    /** Number of dims. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int numel() {
        return Shape.numel(shape);
    }

    /** Element strides of each dim (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Stride of dim {@code d}. */
    public int stride(int d) {
        return strides[Shape.dim(d, shape.length, "stride")];
    }

    /** Index of element [0, ..., 0] in the storage. */
    public int offset() {
        return offset;
    }

    /** The storage this tensor views. */
    public Storage storage() {
        return storage;
    }

    /** Where the elements live. */
    public Device device() {
        return storage.device();
    }

    /** True when the elements are laid out row-major without gaps (dims of size 1 may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1) {
                if (strides[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    /** The heap array behind this tensor; throws when the storage is not a float32 heap storage. */
    public float[] heapArray() {
        if (storage instanceof HeapStorage heap) {
            return heap.array();
        }
        throw new IllegalStateException("tensor " + Shape.str(shape) + " lives in " + storage.getClass().getSimpleName()
                + " (" + storage.dtype() + ", " + storage.device() + "), not on the heap; call contiguous() first");
    }

    // ---- element access ----

    /** The element at {@code index} (one entry per dim, negatives count from the end). */
    public float get(int... index) {
        return storage.get(elementOffset(index, "get"));
    }

    /** Writes {@code value} at {@code index}; returns this. */
    public Tensor set(float value, int... index) {
        storage.set(elementOffset(index, "set"), value);
        return this;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shape.str(shape) + " has " + numel()
                    + " elements, not 1");
        }
        return storage.get(offset);
    }

    /** The elements in row-major order, as a new array. */
    public float[] toArray() {
        Tensor c = contiguous();
        return Arrays.copyOfRange(c.heapArray(), c.offset, c.offset + c.numel());
    }

    private int elementOffset(int[] index, String op) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank "
                    + shape.length + " " + Shape.str(shape));
        }
        int off = offset;
        for (int d = 0; d < shape.length; d++) {
            off += checkIndex(op, index[d], d) * strides[d];
        }
        return off;
    }

    private int checkIndex(String op, int index, int d) {
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is out of range for dim " + d + " of size "
                    + shape[d] + " (tensor shape " + Shape.str(shape) + ")");
        }
        return i;
    }

    // ---- views (no copies) ----

    /**
     * The same elements in {@code newShape} (one entry may be -1), without copying. Throws when the layout makes
     * that impossible (e.g. a transposed tensor); call {@link #contiguous()} first in that case.
     */
    public Tensor reshape(int... newShape) {
        int[] target = inferShape(newShape);
        int[] newStrides = ViewStrides.reshape(shape, strides, target);
        if (newStrides == null) {
            throw new IllegalStateException("reshape: a tensor of shape " + Shape.str(shape) + " with strides "
                    + Shape.str(strides) + " cannot be viewed as " + Shape.str(target)
                    + " without a copy; call contiguous() first");
        }
        return new Tensor(storage, target, newStrides, offset);
    }

    private int[] inferShape(int[] newShape) {
        int[] target = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape: only one dim may be -1 in " + Shape.str(newShape));
                }
                inferred = d;
            } else if (target[d] < 0) {
                throw new IllegalArgumentException("reshape: negative size in " + Shape.str(newShape));
            } else {
                known *= target[d];
            }
        }
        int n = numel();
        if (inferred >= 0 && known > 0 && n % known == 0) {
            target[inferred] = (int) (n / known);
        }
        if ((inferred >= 0 && target[inferred] == -1) || Shape.numel(target) != n) {
            throw new IllegalArgumentException("reshape: shape " + Shape.str(newShape) + " is invalid for a tensor of "
                    + n + " elements " + Shape.str(shape));
        }
        return target;
    }

    /** The dims reordered: result dim i is this tensor's dim {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: " + Shape.str(order) + " has " + order.length
                    + " dims but the tensor " + Shape.str(shape) + " has " + shape.length);
        }
        int[] newShape = new int[order.length];
        int[] newStrides = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shape.dim(order[i], shape.length, "permute");
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dim " + order[i] + " repeats in " + Shape.str(order));
            }
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
        }
        return new Tensor(storage, newShape, newStrides, offset);
    }

    /** Dim {@code source} moved to position {@code destination}, the others keeping their order (torch.movedim). */
    public Tensor movedim(int source, int destination) {
        int src = Shape.dim(source, shape.length, "movedim");
        int dst = Shape.dim(destination, shape.length, "movedim");
        int[] order = new int[shape.length];
        int next = 0; // the next dim other than src, in order
        for (int i = 0; i < order.length; i++) {
            if (i == dst) {
                order[i] = src;
                continue;
            }
            if (next == src) {
                next++;
            }
            order[i] = next++;
        }
        return permute(order);
    }

    /** Dims {@code d0} and {@code d1} swapped. */
    public Tensor transpose(int d0, int d1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int a = Shape.dim(d0, shape.length, "transpose");
        int b = Shape.dim(d1, shape.length, "transpose");
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Entries [start, start + length) of dim {@code dim}; both must lie inside the dim. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.dim(dim, shape.length, "narrow");
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: [" + start + ", " + start + "+" + length + ") is out of range"
                    + " for dim " + dim + " of size " + shape[d] + " (tensor shape " + Shape.str(shape) + ")");
        }
        int[] newShape = shape.clone();
        newShape[d] = length;
        return new Tensor(storage, newShape, strides, offset + start * strides[d]);
    }

    /**
     * Python's {@code x[..., start:end]} along {@code dim}: negative bounds count from the end and bounds past
     * either end are clamped, as in Python and PyTorch.
     */
    public Tensor slice(int dim, int start, int end) {
        int d = Shape.dim(dim, shape.length, "slice");
        int n = shape[d];
        int s = Math.clamp(start < 0 ? (long) start + n : start, 0, n);
        int e = Math.clamp(end < 0 ? (long) end + n : end, 0, n);
        return narrow(d, s, Math.max(0, e - s));
    }

    /** Entry {@code index} of dim {@code dim} (negative counts from the end); that dim is removed. */
    public Tensor select(int dim, int index) {
        int d = Shape.dim(dim, shape.length, "select");
        int i = checkIndex("select", index, d);
        return new Tensor(storage, remove(shape, d), remove(strides, d), offset + i * strides[d]);
    }

    /** A new dim of size 1 at {@code dim} (in [-(rank+1), rank]). */
    public Tensor unsqueeze(int dim) {
        int d = Shape.dim(dim, shape.length + 1, "unsqueeze");
        int stride = d < shape.length ? shape[d] * strides[d] : 1;
        return new Tensor(storage, insert(shape, d, 1), insert(strides, d, stride), offset);
    }

    /** Dim {@code dim} removed; it must have size 1. */
    public Tensor squeeze(int dim) {
        int d = Shape.dim(dim, shape.length, "squeeze");
        if (shape[d] != 1) {
            throw new IllegalArgumentException("squeeze: dim " + dim + " has size " + shape[d] + ", not 1 (tensor shape "
                    + Shape.str(shape) + ")");
        }
        return new Tensor(storage, remove(shape, d), remove(strides, d), offset);
    }

    /** Every dim of size 1 removed. */
    public Tensor squeeze() {
        Tensor t = this;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                t = t.squeeze(d);
            }
        }
        return t;
    }

    /**
     * Broadcast to {@code newShape} without copying (torch.expand): size-1 dims repeat with stride 0, new leading
     * dims are added, and -1 keeps a size. The result is read-only in spirit: writing through it aliases.
     */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand " + Shape.str(shape) + " to fewer dims "
                    + Shape.str(newShape));
        }
        int lead = newShape.length - shape.length;
        int[] outShape = new int[newShape.length];
        int[] outStrides = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int own = i - lead;
            if (own < 0) {
                if (newShape[i] < 0) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim in "
                            + Shape.str(newShape));
                }
                outShape[i] = newShape[i];
            } else if (newShape[i] == -1 || newShape[i] == shape[own]) {
                outShape[i] = shape[own];
                outStrides[i] = strides[own];
            } else if (shape[own] == 1) {
                outShape[i] = newShape[i];
            } else {
                throw new IllegalArgumentException("expand: " + Shape.str(shape) + " cannot expand to "
                        + Shape.str(newShape) + " (dim " + own + " has size " + shape[own] + ", not 1)");
            }
        }
        Shape.numel(outShape);
        return new Tensor(storage, outShape, outStrides, offset);
    }

    /**
     * The diagonal of dims {@code dim1} x {@code dim2} shifted by {@code diagOffset} (above the main diagonal
     * when positive), as torch.diagonal: both dims are removed and the diagonal becomes the last dim. On an
     * attention pattern [b, h, q, k], {@code diagonal(-1, -2, -1)} holds each query's weight on the previous
     * token.
     */
    public Tensor diagonal(int diagOffset, int dim1, int dim2) {
        int a = Shape.dim(dim1, shape.length, "diagonal");
        int b = Shape.dim(dim2, shape.length, "diagonal");
        if (a == b) {
            throw new IllegalArgumentException("diagonal: dim1 and dim2 are both dim " + a);
        }
        int start = diagOffset >= 0 ? diagOffset * strides[b] : -diagOffset * strides[a];
        int length = Math.max(0, Math.min(shape[a] - Math.max(0, -diagOffset), shape[b] - Math.max(0, diagOffset)));
        int[] newShape = insert(remove(remove(shape, Math.max(a, b)), Math.min(a, b)), shape.length - 2, length);
        int[] newStrides = insert(remove(remove(strides, Math.max(a, b)), Math.min(a, b)), shape.length - 2,
                strides[a] + strides[b]);
        return new Tensor(storage, newShape, newStrides, length == 0 ? offset : offset + start);
    }

    private static int[] remove(int[] values, int d) {
        int[] out = new int[values.length - 1];
        System.arraycopy(values, 0, out, 0, d);
        System.arraycopy(values, d + 1, out, d, values.length - d - 1);
        return out;
    }

    private static int[] insert(int[] values, int d, int value) {
        int[] out = new int[values.length + 1];
        System.arraycopy(values, 0, out, 0, d);
        out[d] = value;
        System.arraycopy(values, d, out, d + 1, values.length - d);
        return out;
    }

    // ---- copies and assignment into views ----

    /** This tensor when it is a contiguous heap tensor, otherwise a contiguous copy on the heap. */
    public Tensor contiguous() {
        Tensor host = toHost();
        if (host.isContiguous() && host.storage instanceof HeapStorage) {
            return host;
        }
        Tensor out = zeros(shape);
        Backends.current().copy(out, host);
        return out;
    }

    /**
     * This tensor when its elements are in host memory; for a device tensor, a view with the same shape and
     * strides over a host copy of the elements it reaches (one download).
     */
    public Tensor toHost() {
        if (!(storage instanceof DeviceStorage device)) {
            return this;
        }
        if (numel() == 0) {
            return zeros(shape);
        }
        long[] span = Shape.span(shape, strides, offset);
        float[] host = new float[Math.toIntExact(span[1] - span[0] + 1)];
        device.memory().download(span[0], host, 0, host.length);
        return new Tensor(new HeapStorage(host), shape, strides, (int) (offset - span[0]));
    }

    /** A new contiguous tensor with the same values. */
    public Tensor copy() {
        Tensor out = Backends.current().zeros(shape);
        Backends.current().copy(out, this);
        return out;
    }

    /**
     * Writes {@code src} into this view (PyTorch's {@code dst[...] = src}); shapes must match exactly — expand
     * {@code src} first to broadcast. Returns this.
     */
    public Tensor copyFrom(Tensor src) {
        checkWritable("copyFrom");
        if (!Arrays.equals(shape, src.shape)) {
            throw new IllegalArgumentException("copyFrom: source shape " + Shape.str(src.shape)
                    + " does not match destination shape " + Shape.str(shape) + " (expand the source to broadcast)");
        }
        Backends.current().copy(this, src.storage == storage ? src.copy() : src);
        return this;
    }

    /** Sets every element of this view to {@code value}; returns this. */
    public Tensor fill(float value) {
        checkWritable("fill");
        Backends.current().fill(this, value);
        return this;
    }

    private void checkWritable(String op) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": destination " + Shape.str(shape) + " is a broadcast view"
                        + " (dim " + d + " has stride 0), so its elements alias; write into the original tensor");
            }
        }
    }

    // ---- elementwise ----

    /** this + other, broadcasting as NumPy. */
    public Tensor add(Tensor other) {
        return binary(BinaryOp.ADD, other);
    }

    /** this - other, broadcasting as NumPy. */
    public Tensor sub(Tensor other) {
        return binary(BinaryOp.SUB, other);
    }

    /** this * other elementwise, broadcasting as NumPy. */
    public Tensor mul(Tensor other) {
        return binary(BinaryOp.MUL, other);
    }

    /** this / other elementwise, broadcasting as NumPy. */
    public Tensor div(Tensor other) {
        return binary(BinaryOp.DIV, other);
    }

    private Tensor binary(BinaryOp op, Tensor other) {
        int[] out = Shape.broadcast(op.name().toLowerCase(), shape, other.shape);
        return Backends.current().binary(op, expand(out), other.expand(out));
    }

    /** alpha * this. */
    public Tensor scale(float alpha) {
        return Backends.current().scale(this, alpha);
    }

    /** e^x elementwise. */
    public Tensor exp() {
        return Backends.current().unary(UnaryOp.EXP, this);
    }

    /** Natural log elementwise. */
    public Tensor log() {
        return Backends.current().unary(UnaryOp.LOG, this);
    }

    /** tanh elementwise. */
    public Tensor tanh() {
        return Backends.current().unary(UnaryOp.TANH, this);
    }

    /** Square root elementwise. */
    public Tensor sqrt() {
        return Backends.current().unary(UnaryOp.SQRT, this);
    }

    /** GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public Tensor geluNew() {
        return Backends.current().unary(UnaryOp.GELU_NEW, this);
    }

    // ---- reductions ----

    /** Sum along {@code dim}, dropping it. */
    public Tensor sum(int dim) {
        return reduce(ReduceOp.SUM, dim, false);
    }

    /** Mean along {@code dim}, dropping it. */
    public Tensor mean(int dim) {
        return reduce(ReduceOp.MEAN, dim, false);
    }

    /** Max along {@code dim}, dropping it. */
    public Tensor max(int dim) {
        return reduce(ReduceOp.MAX, dim, false);
    }

    /** log(sum(exp)) along {@code dim}, dropping it, computed stably. */
    public Tensor logsumexp(int dim) {
        return reduce(ReduceOp.LOGSUMEXP, dim, false);
    }

    /** A reduction along {@code dim}; {@code keepDim} keeps it with size 1. */
    public Tensor reduce(ReduceOp op, int dim, boolean keepDim) {
        int d = Shape.dim(dim, shape.length, op.name().toLowerCase());
        requireNonEmpty(op.name().toLowerCase(), d);
        return Backends.current().reduce(op, this, d, keepDim);
    }

    /** Index of the first maximum along {@code dim}, dropping it. */
    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    /** Index of the first maximum along {@code dim}. */
    public Tensor argmax(int dim, boolean keepDim) {
        int d = Shape.dim(dim, shape.length, "argmax");
        requireNonEmpty("argmax", d);
        return Backends.current().argmax(this, d, keepDim);
    }

    private void requireNonEmpty(String op, int d) {
        if (shape[d] == 0) {
            throw new IllegalArgumentException(op + ": dim " + d + " of " + Shape.str(shape) + " is empty");
        }
    }

    /** softmax along {@code dim}. */
    public Tensor softmax(int dim) {
        return Backends.current().softmax(this, Shape.dim(dim, shape.length, "softmax"));
    }

    /** log_softmax along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return Backends.current().logSoftmax(this, Shape.dim(dim, shape.length, "logSoftmax"));
    }

    /** Layer norm over the last dim with optional affine {@code w}, {@code b} of shape [D] (null to skip). */
    public Tensor layerNorm(Tensor w, Tensor b, float eps) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("layerNorm: needs at least one dim, got a scalar");
        }
        int dModel = shape[shape.length - 1];
        for (Tensor p : new Tensor[] {w, b}) {
            if (p != null && (p.rank() != 1 || p.shape[0] != dModel)) {
                throw new IllegalArgumentException("layerNorm: " + (p == w ? "weight" : "bias") + " has shape "
                        + Shape.str(p.shape) + " but the input " + Shape.str(shape) + " needs [" + dModel + "]");
            }
        }
        return Backends.current().layerNorm(this, w, b, eps);
    }

    /** TL's hook_scale of a layer norm: sqrt(mean((x - mean(x))^2) + eps) over the last dim, [..., 1]. */
    public Tensor layerNormScale(float eps) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("layerNormScale: needs at least one dim, got a scalar");
        }
        return Backends.current().layerNormScale(this, eps);
    }

    /** TL's hook_normalized of a layer norm: (x - mean(x)) / scale over the last dim; scale is [..., 1]. */
    public Tensor layerNormNormalize(Tensor scale) {
        AttentionArgs.checkScale(this, scale);
        return Backends.current().layerNormNormalize(this, scale);
    }

    // ---- attention ----

    /**
     * Causal attention of all heads: q [batch, query_pos, head_index, d_head], k and v [batch, key_pos, head_index,
     * d_head] with query_pos &lt;= key_pos (queries are the last positions, as with a KV cache); keyMask
     * [batch, key_pos] marks real tokens (null: all). Returns z [batch, query_pos, head_index, d_head], equal bit for
     * bit to {@code attentionMix(attentionScores(q, k, keyMask, scale).softmax(-1), v)}.
     */
    public static Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        AttentionArgs.check("causalAttention", q, k, v, keyMask);
        return Backends.current().causalAttention(q, k, v, keyMask, scale);
    }

    /**
     * TL's hook_attn_scores: [batch, head_index, query_pos, key_pos] = scale * q.k where the key is visible to the
     * query (at or before its position, and real in keyMask), -inf elsewhere. Arguments as {@link #causalAttention}.
     */
    public static Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale) {
        AttentionArgs.check("attentionScores", q, k, null, keyMask);
        return Backends.current().attentionScores(q, k, keyMask, scale);
    }

    /**
     * TL's z = pattern . v: pattern [batch, head_index, query_pos, key_pos], v [batch, key_pos, head_index, d_head];
     * returns z [batch, query_pos, head_index, d_head].
     */
    public static Tensor attentionMix(Tensor pattern, Tensor v) {
        AttentionArgs.checkMix(pattern, v);
        return Backends.current().attentionMix(pattern, v);
    }

    // ---- products, indexing, selection ----

    /**
     * Matrix product as torch.matmul: [..., M, K] x [..., K, N] with batch dims broadcast; a 1-D operand is a
     * row (left) or column (right) vector whose dim is removed from the result.
     */
    public Tensor matmul(Tensor other) {
        return Matmuls.matmul(Backends.current(), this, other);
    }

    /** torch.gather: out[i][j][k] = this[i][index[i][j][k]][k] for dim = 1; index holds integers. */
    public Tensor gather(int dim, Tensor index) {
        int d = Shape.dim(dim, shape.length, "gather");
        Indexing.checkGather(this, d, index);
        return Backends.current().gather(this, d, index);
    }

    /** Entries {@code index} of {@code dim} (torch.index_select); negative indices count from the end. */
    public Tensor indexSelect(int dim, int... index) {
        int d = Shape.dim(dim, shape.length, "indexSelect");
        int[] wrapped = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            wrapped[i] = checkIndex("indexSelect", index[i], d);
        }
        return Backends.current().indexSelect(this, d, wrapped);
    }

    /** The k largest entries along {@code dim}, descending, with their indices. */
    public TopK topk(int k, int dim) {
        int d = Shape.dim(dim, shape.length, "topk");
        if (k < 1 || k > shape[d]) {
            throw new IllegalArgumentException("topk: k=" + k + " is out of range for dim " + dim + " of size "
                    + shape[d] + " (tensor shape " + Shape.str(shape) + ")");
        }
        return Backends.current().topk(this, k, d);
    }

    /** The tensors joined along {@code dim}; all other sizes must match. */
    public static Tensor cat(int dim, Tensor... parts) {
        return Indexing.cat(dim, parts);
    }

    /** The tensors (all the same shape) stacked along a new dim {@code dim}. */
    public static Tensor stack(int dim, Tensor... parts) {
        return Indexing.stack(dim, parts);
    }

    // ---- comparison ----

    /** |this - other| &lt;= atol + rtol * |other| everywhere (NumPy's rule; NaN is never close); same shapes. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        return Indexing.allclose(this, other, rtol, atol);
    }

    /** max |this - other| over all elements (NaN if either holds NaN); same shapes. */
    public double maxAbsDiff(Tensor other) {
        return Indexing.maxAbsDiff(this, other);
    }

    /** The shape as PyTorch prints a list: {@code [2, 3, 50257]}. */
    public String shapeString() {
        return Shape.str(shape);
    }

    /**
     * PyTorch's repr with shape, dtype and device: {@code tensor([[ 0.1234, -1.5000], ...], shape=[2, 2],
     * dtype=float32, device=cpu)}; summarised above 1000 elements, and only the shown elements are read (see
     * {@link TensorFormat}).
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
