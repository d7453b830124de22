// The CPU backend: adapts strided tensors to the Vector API kernels (one class per op family) of this package.
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ColumnChunks;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.TopK;
import dev.jlens.tensor.backend.UnaryOp;
import dev.jlens.tensor.storage.HeapStorage;
import dev.jlens.tensor.storage.RowShiftedStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Tensor-level entry of the CPU kernels. Each op brings its inputs into the layout its kernel wants — contiguous
 * heap rows, with the reduced dim last — copying only when the view is not already laid out so ({@link Layouts}),
 * then calls the kernel. Weights passed through {@link #prepareWeight} are packed once for {@link Matmul}.
 */
public final class CpuBackend implements Backend {
    /** Panels asked for at once by {@link #prepareWeight(int, int, ColumnChunks)}: 2048 columns at 512 bits. */
    private static final int CHUNK_PANELS = 64;

    /** The backend, stateless; {@link java.util.ServiceLoader} makes one through this constructor. */
    public CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public String unavailableReason() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? null
                : "the Vector API module is missing: add --add-modules=jdk.incubator.vector to the java command";
    }

    @Override
    public String describe() {
        String width = VectorWidth.SCALAR ? "scalar twins (-Djlens.vectorBits=0)"
                : "Vector API " + VectorWidth.bits() + "-bit";
        return "cpu (" + width + ", " + CpuThreads.COUNT + " threads)";
    }

    @Override
    public SequencedMap<String, String> settings() {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("vector width", VectorWidth.SCALAR ? "0: scalar twins (-Djlens.vectorBits=0)"
                : VectorWidth.bits() + "-bit" + (System.getProperty("jlens.vectorBits") == null
                ? " (the machine's preferred; -Djlens.vectorBits=N forces one)" : " (-Djlens.vectorBits)"));
        s.put("worker threads", CpuThreads.COUNT + (System.getProperty("jlens.threads") == null
                ? " (all cores; -Djlens.threads=N to change)" : " (-Djlens.threads)"));
        return s;
    }

    @Override
    public Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        Layouts.copy(dst, src);
    }

    @Override
    public void fill(Tensor dst, float value) {
        Layouts.fill(dst, value);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor x = Layouts.dense(a);
        float[] out = new float[x.numel()]; // [same shape as a]
        if (Layouts.isRowBroadcast(b) && (op == BinaryOp.ADD || op == BinaryOp.MUL)) {
            int n = b.size(-1);
            int rows = n == 0 ? 0 : out.length / n;
            if (op == BinaryOp.ADD) {
                Elementwise.addRow(out, 0, x.heapArray(), x.offset(), b.heapArray(), b.offset(), rows, n);
            } else {
                Elementwise.mulRow(out, 0, x.heapArray(), x.offset(), b.heapArray(), b.offset(), rows, n);
            }
            return Tensor.of(out, a.shape());
        }
        Tensor y = Layouts.dense(b);
        float[] xs = x.heapArray();
        float[] ys = y.heapArray();
        switch (op) {
            case ADD -> Elementwise.add(out, 0, xs, x.offset(), ys, y.offset(), out.length);
            case SUB -> Elementwise.sub(out, 0, xs, x.offset(), ys, y.offset(), out.length);
            case MUL -> Elementwise.mul(out, 0, xs, x.offset(), ys, y.offset(), out.length);
            case DIV -> Elementwise.div(out, 0, xs, x.offset(), ys, y.offset(), out.length);
        }
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a) {
        Tensor x = Layouts.dense(a);
        float[] out = new float[x.numel()];
        switch (op) {
            case EXP -> Elementwise.exp(out, 0, x.heapArray(), x.offset(), out.length);
            case LOG -> Elementwise.log(out, 0, x.heapArray(), x.offset(), out.length);
            case TANH -> Elementwise.tanh(out, 0, x.heapArray(), x.offset(), out.length);
            case SQRT -> Elementwise.sqrt(out, 0, x.heapArray(), x.offset(), out.length);
            case GELU_NEW -> Gelu.geluNew(out, 0, x.heapArray(), x.offset(), out.length);
        }
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor scale(Tensor a, float alpha) {
        Tensor x = Layouts.dense(a);
        float[] out = new float[x.numel()];
        Elementwise.scale(out, 0, x.heapArray(), x.offset(), alpha, out.length);
        return Tensor.of(out, a.shape());
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int dim, boolean keepDim) {
        Tensor rows = Layouts.rowsAlong(a, dim); // [rows, n] with dim last
        int n = a.size(dim);
        float[] out = new float[rows.numel() / n];
        float[] in = rows.heapArray();
        switch (op) {
            case SUM -> Reductions.sum(out, 0, in, rows.offset(), out.length, n);
            case MEAN -> Reductions.mean(out, 0, in, rows.offset(), out.length, n);
            case MAX -> Reductions.max(out, 0, in, rows.offset(), out.length, n);
            case LOGSUMEXP -> Reductions.logsumexp(out, 0, in, rows.offset(), out.length, n);
        }
        return Tensor.of(out, Shape.reduced(a.shape(), dim, keepDim));
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepDim) {
        Tensor rows = Layouts.rowsAlong(a, dim);
        int n = a.size(dim);
        int[] best = new int[rows.numel() / n];
        Reductions.argmax(best, 0, rows.heapArray(), rows.offset(), best.length, n);
        float[] out = new float[best.length]; // indices as exact floats, as the SPI returns them
        for (int i = 0; i < best.length; i++) {
            out[i] = best[i];
        }
        return Tensor.of(out, Shape.reduced(a.shape(), dim, keepDim));
    }

    @Override
    public Tensor softmax(Tensor a, int dim) {
        return softmax(a, dim, false);
    }

    @Override
    public Tensor logSoftmax(Tensor a, int dim) {
        return softmax(a, dim, true);
    }

    private Tensor softmax(Tensor a, int dim, boolean log) {
        Tensor rows = Layouts.rowsAlong(a, dim);
        int n = a.size(dim);
        float[] out = new float[rows.numel()];
        int count = n == 0 ? 0 : out.length / n;
        if (log) {
            Softmax.logSoftmax(out, 0, rows.heapArray(), rows.offset(), count, n);
        } else {
            Softmax.softmax(out, 0, rows.heapArray(), rows.offset(), count, n);
        }
        return Layouts.fromRowsAlong(out, a.shape(), dim);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        Tensor in = Layouts.dense(x);
        int d = x.size(-1);
        float[] out = new float[in.numel()]; // [rows, d]
        Tensor wd = w == null ? null : Layouts.dense(w);
        Tensor bd = b == null ? null : Layouts.dense(b);
        LayerNorm.layerNorm(out, 0, in.heapArray(), in.offset(),
                wd == null ? null : wd.heapArray(), wd == null ? 0 : wd.offset(),
                bd == null ? null : bd.heapArray(), bd == null ? 0 : bd.offset(), d == 0 ? 0 : out.length / d, d, eps);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor layerNormScale(Tensor x, float eps) {
        Tensor in = Layouts.dense(x);
        int d = x.size(-1);
        int[] shape = x.shape();
        shape[shape.length - 1] = 1;
        float[] out = new float[Shape.numel(shape)]; // [rows]
        LayerNorm.scale(out, 0, in.heapArray(), in.offset(), out.length, d, eps);
        return Tensor.of(out, shape);
    }

    @Override
    public Tensor layerNormNormalize(Tensor x, Tensor scale) {
        Tensor in = Layouts.dense(x);
        Tensor sd = Layouts.dense(scale); // [rows]
        int d = x.size(-1);
        float[] out = new float[in.numel()]; // [rows, d]
        LayerNorm.normalize(out, 0, in.heapArray(), in.offset(), sd.heapArray(), sd.offset(), sd.numel(), d);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return MatmulOp.matmul(a, b);
    }

    @Override
    public Tensor prepareWeight(Tensor w) {
        if (w.storage() instanceof PackedMatrix packed && MatmulOp.isWhole(w, packed)) {
            return w;
        }
        return prepareColumns(w);
    }

    @Override
    public Tensor prepareColumns(Tensor... blocks) {
        if (blocks.length == 0) {
            throw new IllegalArgumentException("prepareColumns: no blocks");
        }
        int k = blocks[0].size(0);
        List<Packing.Columns> columns = new ArrayList<>(blocks.length);
        for (Tensor block : blocks) {
            if (block.rank() != 2 || block.size(0) != k) {
                throw new IllegalArgumentException("prepareColumns: blocks must be [" + k + ", N], got "
                        + Arrays.toString(block.shape()));
            }
            columns.add(inPlace(block));
        }
        return whole(Matmul.pack(k, columns));
    }

    @Override
    public Tensor prepareWeight(int k, int n, ColumnChunks chunks) {
        PackedMatrix packed = new PackedMatrix(Matmul.PANEL_WIDTH, k, n);
        int width = CHUNK_PANELS * Matmul.PANEL_WIDTH;
        for (int from = 0; from < n; from += width) {
            int count = Math.min(width, n - from);
            Tensor part = chunks.columns(from, count);
            if (part.rank() != 2 || part.size(0) != k || part.size(1) != count) {
                throw new IllegalArgumentException("prepareWeight: columns [" + from + ", " + (from + count)
                        + ") must be [" + k + ", " + count + "], got " + Arrays.toString(part.shape()));
            }
            Packing.packInto(packed, from / Matmul.PANEL_WIDTH, List.of(inPlace(part)));
        }
        return whole(packed);
    }

    /** packed as the prepared weight [K, N] (strides [N, 1]) that matmul reads from its panels. */
    private static Tensor whole(PackedMatrix packed) {
        return Tensor.view(packed, new int[] {packed.k(), packed.n()}, new int[] {packed.n(), 1}, 0);
    }

    /** The columns of w [K, N] where they lie when the packer reads that storage (heap, F32 off-heap), else a copy. */
    private static Packing.Columns inPlace(Tensor w) {
        Tensor src = w.storage() instanceof HeapStorage || w.storage() instanceof SegmentStorage s
                && s.dtype() == DType.F32 ? w : Layouts.dense(w);
        MemorySegment elements = src.storage() instanceof SegmentStorage s ? s.segment()
                : MemorySegment.ofArray(src.heapArray());
        return new Packing.Columns(elements, src.offset(), src.stride(0), src.stride(1), w.size(1));
    }

    @Override
    public Tensor transposeForGather(Tensor prepared) {
        return prepared.storage() instanceof PackedMatrix packed && MatmulOp.isWhole(prepared, packed)
                ? prepared.transpose(0, 1) : null;
    }

    @Override
    public Tensor matmulTransposed(Tensor g, Tensor w) {
        if (!(w.storage() instanceof PackedMatrix packed && MatmulOp.isPanelWindow(w, packed))) {
            return Backend.super.matmulTransposed(g, w);
        }
        Tensor gd = Layouts.dense(g); // [..., M, N]
        int rows = gd.numel() / w.size(1);
        int[] shape = g.shape();
        shape[shape.length - 1] = w.size(0);
        float[] out = new float[rows * w.size(0)]; // [..., M, K]
        MatmulTransposed.multiply(out, gd.heapArray(), gd.offset(), rows, packed, w.offset(), w.size(1));
        return Tensor.of(out, shape);
    }

    @Override
    public Tensor geluNewBackward(Tensor x, Tensor g) {
        Tensor xd = Layouts.dense(x);
        Tensor gd = Layouts.dense(g);
        float[] out = new float[xd.numel()];
        Gelu.geluNewBackward(out, 0, xd.heapArray(), xd.offset(), gd.heapArray(), gd.offset(), out.length);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor causalAttention(Tensor q, Tensor k, Tensor v, Tensor keyMask, float scale) {
        Tensor qd = Layouts.dense(q); // [B, Pq, H, E]
        Tensor kd = Layouts.rowsContiguous(k); // [B, Pk, H, E], any strides but the last: a KV cache is not copied
        Tensor vd = Layouts.rowsContiguous(v); // [B, Pk, H, E], likewise
        Tensor md = keyMask == null ? null : Layouts.dense(keyMask); // [B, Pk]
        int[] s = q.shape();
        float[] z = new float[qd.numel()]; // [B, Pq, H, E]
        Attention.causal(z, 0, qd.heapArray(), qd.offset(), kd.heapArray(), kd.offset(), strides(kd), vd.heapArray(),
                vd.offset(), strides(vd), md == null ? null : md.heapArray(), md == null ? 0 : md.offset(), s[0], s[1],
                k.size(1), s[2], s[3], scale);
        return Tensor.of(z, s);
    }

    /** Where t [B, Pk, H, E]'s rows start (its last axis contiguous). */
    private static Attention.Strides strides(Tensor t) {
        return new Attention.Strides(t.stride(0), t.stride(1), t.stride(2));
    }

    @Override
    public Tensor attentionScores(Tensor q, Tensor k, Tensor keyMask, float scale) {
        Tensor qd = Layouts.dense(q); // [B, Pq, H, E]
        Tensor kd = Layouts.dense(k); // [B, Pk, H, E]
        Tensor md = keyMask == null ? null : Layouts.dense(keyMask); // [B, Pk]
        int[] s = q.shape();
        int pk = k.size(1);
        float[] out = new float[s[0] * s[2] * s[1] * pk]; // [B, H, Pq, Pk]
        Attention.scores(out, 0, qd.heapArray(), qd.offset(), kd.heapArray(), kd.offset(),
                md == null ? null : md.heapArray(), md == null ? 0 : md.offset(), s[0], s[1], pk, s[2], s[3], scale);
        return Tensor.of(out, s[0], s[2], s[1], pk);
    }

    @Override
    public Tensor attentionMix(Tensor pattern, Tensor v) {
        Tensor pd = Layouts.dense(pattern); // [B, H, Pq, Pk]
        Tensor vd = Layouts.dense(v);       // [B, Pk, H, E]
        int[] p = pattern.shape();
        int e = v.size(3);
        float[] z = new float[p[0] * p[2] * p[1] * e]; // [B, Pq, H, E]
        Attention.mix(z, 0, pd.heapArray(), pd.offset(), vd.heapArray(), vd.offset(), p[0], p[2], p[3], p[1], e);
        return Tensor.of(z, p[0], p[2], p[1], e);
    }

    @Override
    public Tensor gather(Tensor a, int dim, Tensor index) {
        return Layouts.gather(a, dim, index);
    }

    @Override
    public Tensor indexSelect(Tensor a, int dim, int[] index) {
        int[] shape = a.shape();
        shape[dim] = index.length;
        if (dim == 0 && a.rank() == 2 && a.storage() instanceof RowShiftedStorage shifted && a.isContiguous()
                && a.offset() == 0) { // a centred W_E read from its checkpoint: the file's rows, shifted in place
            Tensor rows = indexSelect(Tensor.view(shifted.base(), a.shape(), a.strides(), 0), 0, index);
            Embedding.shiftRows(rows.heapArray(), shifted, index);
            return rows;
        }
        if (dim == 0) {
            int rowLength = a.size(0) == 0 ? 0 : a.numel() / a.size(0);
            float[] out = new float[index.length * rowLength];
            if (a.rank() == 2 && a.storage() instanceof PackedMatrix packed
                    && MatmulOp.isWhole(a.transpose(0, 1), packed)) {
                packed.gatherColumns(index, out); // a tied W_E read from the packed W_U
            } else if (a.isContiguous() && a.storage() instanceof SegmentStorage s && s.dtype() == DType.F32) {
                Embedding.gatherRows(out, 0, s.segment(), a.offset(), index, rowLength); // off-heap W_E, W_pos
            } else {
                Tensor table = Layouts.dense(a); // [rows, rowLength]
                Embedding.gatherRows(out, 0, table.heapArray(), table.offset(), index, rowLength);
            }
            return Tensor.of(out, shape);
        }
        Tensor out = Tensor.zeros(shape);
        for (int i = 0; i < index.length; i++) {
            Layouts.copy(out.select(dim, i), a.select(dim, index[i]));
        }
        return out;
    }

    @Override
    public TopK topk(Tensor a, int k, int dim) {
        Tensor rows = Layouts.rowsAlong(a, dim);
        int n = a.size(dim);
        int count = rows.numel() / n;
        float[] values = new float[count * k];
        float[] indices = new float[count * k];
        for (int r = 0; r < count; r++) {
            TopKSelect.select(values, indices, r * k, rows.heapArray(), rows.offset() + r * n, n, k);
        }
        int[] shape = a.shape();
        shape[dim] = k;
        return new TopK(Layouts.fromRowsAlong(values, shape, dim), Layouts.fromRowsAlong(indices, shape, dim));
    }

    @Override
    public String toString() {
        return describe();
    }
}
