// TransformerLens' weight processing (HookedTransformer.process_weights_ / load_and_process_state_dict), in TL's order.
//
// Shapes: D d_model, H heads, E d_head, M d_mlp, V vocab. All arithmetic runs in double, results are stored as float32.
//   fold_layer_norm (fold_biases=True, center_weights=True), for each LN before a linear map W [.., D, N], b [.., N]:
//       b += sum_d ln.b[d] W[.., d, :];  W *= ln.w[:, None];  W -= mean over the D axis;  drop ln.w, ln.b (LN -> LNPre)
//     ln1 -> W_Q/W_K/W_V [H, D, E] with b_Q/b_K/b_V [H, E]; ln2 -> W_in [D, M], b_in; ln_final -> W_U [D, V], b_U.
//     Exact: LN(x) = n(x) w + b with n(x) centred, so n(x) (w W) + (b W) is the same map, and n(x) . ones = 0.
//   center_writing_weights: W_E, W_pos [.., D], W_O [H, E, D], W_out [M, D] -= their mean over D; b_O, b_out -= mean.
//     Exact because every reader of the residual stream is a centring LayerNorm.
//   center_unembed: W_U [D, V] -= its mean over V (per d_model row); b_U -= mean(b_U). Shifts logits by a constant.
//   fold_value_biases: b_O += sum_{h,e} b_V[h, e] W_O[h, e, :]; b_V = 0. Exact because each pattern row sums to 1.
//     TL v2 (HookedTransformer) order: this runs after centring, and since W_O's rows are centred b_O stays centred.
//   refactor_factored_attn_matrices: see AttnRefactor.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.config.PositionalEmbeddingType;
import dev.jlens.tensor.DType;
import dev.jlens.tensor.Shape;
import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.storage.OffHeap;
import dev.jlens.tensor.storage.RowShiftedStorage;
import dev.jlens.tensor.storage.SegmentStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * TL's weight processing as a pure function of a config and a TL-keyed state dict: the input is never mutated; the
 * result has its own config (LN becomes LN_PRE after fold_ln) and a new state dict whose unchanged tensors are the
 * input's. Steps that do not apply are skipped with a logged warning, as TL does: fold_ln and
 * center_writing_weights without LayerNorm (normalization NONE) or with a shortformer positional embedding (whose
 * W_pos is added after ln1, so TL forces both off). fold_ln on an LN_PRE model (already folded) does nothing.
 *
 * <p>Every step touches one part of the model only (the embeddings, one block, or the unembedding), so a loader can
 * process a model part by part ({@link Steps}) and keep only one part's intermediates alive. Large results (from
 * {@link #OFF_HEAP_MIN} elements) are written off the Java heap, into the arena the caller gives; vocabulary-sized
 * matrices are streamed row by row, so no step needs a heap array of a whole W_E or W_U.
 */
public final class WeightProcessing {
    /** Results with at least this many elements go off the heap (a [768] bias stays on it). */
    static final int OFF_HEAP_MIN = 1 << 16;
    private static final System.Logger LOG = System.getLogger("dev.jlens.weights");

    private WeightProcessing() {}

    /** A processed model: its config and its weights. */
    public record Processed(Gpt2Config cfg, StateDict weights) {}

    /**
     * Runs the steps {@code options} selects in TL's order: fold_ln, center_writing_weights, center_unembed,
     * fold_value_biases, refactor_factored_attn_matrices.
     *
     * @param cfg     the model's config (its normalization type must match the weights)
     * @param weights TL-keyed weights of {@code cfg}; not mutated
     * @param options the steps to run
     * @return the processed config and a new state dict (large tensors off the heap, freed when unreachable)
     * @throws IllegalArgumentException when a weight the steps read is missing or misshapen
     */
    public static Processed process(Gpt2Config cfg, StateDict weights, ProcessingOptions options) {
        StateDict sd = weights.copy(weights.source() + " (processed: " + options + ")");
        Steps steps = Steps.of(cfg, options);
        Arena arena = Arena.ofAuto();
        steps.embeddings(sd);
        for (int l = 0; l < cfg.nLayers(); l++) {
            steps.block(sd, l, arena);
        }
        steps.unembedding(sd, arena);
        return new Processed(steps.out(), sd);
    }

    /**
     * The steps that apply to one model, decided (and warned about) once, run part by part. Each method rewrites the
     * keys of its part in {@code sd} (read first, then replaced) and writes large results into {@code arena}.
     *
     * @param in  the config of the weights read
     * @param out the config of the weights written (LN_PRE after fold_ln)
     */
    public record Steps(Gpt2Config in, Gpt2Config out, boolean foldLn, boolean centerWritingWeights,
            boolean centerUnembed, boolean foldValueBiases, boolean refactor) {

        /** The steps of {@code options} that apply to {@code cfg}, with TL's warning for those that do not. */
        public static Steps of(Gpt2Config cfg, ProcessingOptions options) {
            boolean shortformer = cfg.positionalEmbeddingType() == PositionalEmbeddingType.SHORTFORMER;
            boolean folded = cfg.normalizationType() == NormalizationType.LN_PRE; // nothing left to fold
            boolean foldLn = options.foldLn() && !folded && applies("fold_ln", cfg, shortformer);
            boolean centre = options.centerWritingWeights() && applies("center_writing_weights", cfg, shortformer);
            return new Steps(cfg, foldLn ? cfg.withNormalizationType(NormalizationType.LN_PRE) : cfg, foldLn, centre,
                    options.centerUnembed(), options.foldValueBiases(), options.refactorFactoredAttnMatrices());
        }

        /**
         * center_writing_weights on W_E and W_pos: each becomes its rows as kept by {@link OwnedWeights#own} (a large
         * table in a checkpoint: the file's mapping, not a copy), minus their means on read ({@link RowShiftedStorage},
         * the bits of a centred copy).
         */
        public void embeddings(StateDict sd) {
            if (centerWritingWeights) {
                centreTable(sd, "embed.W_E", in.dVocab(), in.dModel());
                centreTable(sd, "pos_embed.W_pos", in.nCtx(), in.dModel());
            }
        }

        /** Block {@code layer}: its {@link #attention}, then its {@link #mlp}. */
        public void block(StateDict sd, int layer, Arena arena) {
            attention(sd, layer, arena);
            mlp(sd, layer, arena);
        }

        /**
         * Block {@code layer}'s attention: fold ln1 into W_Q, W_K, W_V and their biases, centre W_O and b_O, fold b_V,
         * refactor QK and OV. It reads and writes only ln1's and attention's keys, so it and {@link #mlp} may run
         * apart.
         *
         * @return true when it rewrote weights (then it has read all it needs of the input)
         */
        public boolean attention(StateDict sd, int layer, Arena arena) {
            int d = in.dModel();
            String p = "blocks." + layer + ".";
            if (foldLn) {
                double[][] ln1 = takeLayerNorm(sd, p + "ln1", d);
                for (String m : new String[] {"Q", "K", "V"}) {
                    foldInto(sd, p + "attn.W_" + m, p + "attn.b_" + m, ln1, in.nHeads(), d, in.dHead(), arena);
                }
            }
            if (centerWritingWeights) {
                centreLastAxis(sd, p + "attn.W_O", arena, in.nHeads(), in.dHead(), d);
                centreLastAxis(sd, p + "attn.b_O", arena, d);
            }
            if (foldValueBiases) {
                WeightProcessing.foldValueBiases(in, sd, layer, arena);
            }
            if (refactor) {
                AttnRefactor.refactor(in, sd, layer, arena);
            }
            return foldLn || centerWritingWeights || foldValueBiases || refactor;
        }

        /**
         * Block {@code layer}'s MLP (nothing when attention-only): fold ln2 into W_in and b_in, centre W_out and b_out.
         *
         * @return true when it rewrote weights (then it has read all it needs of the input)
         */
        public boolean mlp(StateDict sd, int layer, Arena arena) {
            if (in.attnOnly()) {
                return false;
            }
            int d = in.dModel();
            String p = "blocks." + layer + ".";
            if (foldLn) {
                foldInto(sd, p + "mlp.W_in", p + "mlp.b_in", takeLayerNorm(sd, p + "ln2", d), 1, d, in.dMlp(), arena);
            }
            if (centerWritingWeights) {
                centreLastAxis(sd, p + "mlp.W_out", arena, in.dMlp(), d);
                centreLastAxis(sd, p + "mlp.b_out", arena, d);
            }
            return foldLn || centerWritingWeights;
        }

        /**
         * fold ln_final into W_U and b_U, then center_unembed; a tied (transposed) W_U is read in storage order, and
         * with both steps it comes out prepared for the current backend, made chunk by chunk as it is prepared.
         */
        public void unembedding(StateDict sd, Arena arena) {
            int d = in.dModel();
            int v = in.dVocab();
            boolean tied = TransposedUnembed.applies(sd.require("unembed.W_U", d, v));
            if (foldLn && centerUnembed && tied) {
                double[][] ln = takeLayerNorm(sd, "ln_final", d); // both at once, W_U prepared as it is made
                double[] b = read(sd.require("unembed.b_U", v));
                sd.put("unembed.W_U", TransposedUnembed.foldCentredPrepared(sd.require("unembed.W_U", d, v), b, ln));
                sd.put("unembed.b_U", write(b, arena, v));
                centreLastAxis(sd, "unembed.b_U", arena, v);
                return;
            }
            if (foldLn && tied) {
                double[][] ln = takeLayerNorm(sd, "ln_final", d);
                double[] b = read(sd.require("unembed.b_U", v));
                sd.put("unembed.W_U", TransposedUnembed.fold(sd.require("unembed.W_U", d, v), b, ln, arena));
                sd.put("unembed.b_U", write(b, arena, v));
            } else if (foldLn) {
                foldInto(sd, "unembed.W_U", "unembed.b_U", takeLayerNorm(sd, "ln_final", d), 1, d, v, arena);
            }
            if (centerUnembed) { // in place when fold_ln made W_U ours: one transient copy of W_U, not two
                Tensor wU = sd.require("unembed.W_U", d, v);
                boolean ours = foldLn && wU.storage() instanceof SegmentStorage; // fold_ln's off-heap result
                if (TransposedUnembed.applies(wU)) {
                    sd.put("unembed.W_U", TransposedUnembed.centre(wU, ours, arena));
                } else {
                    sd.put("unembed.W_U", centreRows(wU, ours ? WeightRows.writerInto(wU)
                            : WeightRows.writer(d, v, arena, "unembed.W_U")));
                }
                centreLastAxis(sd, "unembed.b_U", arena, v);
            }
        }
    }

    /** False, with TL's warning, when the step needs a LayerNorm the model lacks or the model is a shortformer. */
    private static boolean applies(String step, Gpt2Config cfg, boolean shortformer) {
        if (cfg.normalizationType() == NormalizationType.NONE || shortformer) {
            LOG.log(System.Logger.Level.WARNING, step + " skipped for " + cfg.modelName() + ": it needs a centring"
                    + " LayerNorm before every reader and a standard positional embedding");
            return false;
        }
        return true;
    }

    /** {w, b} of LayerNorm {@code name}, removed from sd. */
    private static double[][] takeLayerNorm(StateDict sd, String name, int d) {
        double[][] wb = {read(sd.require(name + ".w", d)), read(sd.require(name + ".b", d))};
        sd.remove(name + ".w");
        sd.remove(name + ".b");
        return wb;
    }

    /**
     * W [G, D, N] (G groups, e.g. heads; G = 1 stored as [D, N]) and b [G, N] absorb ln = {w, b}:
     * b += sum_d ln.b[d] W[g, d, :]; W *= ln.w[:, None]; W -= mean over D. Streams W row by row twice (sums, then
     * the result), so W_U [D, V] needs two [V] accumulators, not a copy of itself.
     */
    private static void foldInto(StateDict sd, String wKey, String bKey, double[][] ln, int groups, int d, int n,
            Arena arena) {
        int[] wShape = groups == 1 ? new int[] {d, n} : new int[] {groups, d, n};
        int[] bShape = groups == 1 ? new int[] {n} : new int[] {groups, n};
        Tensor w = sd.require(wKey, wShape);
        double[] b = read(sd.require(bKey, bShape));
        WeightRows.Writer out = WeightRows.writer(groups * d, n, arena, wKey);
        double[] mean = new double[n]; // over D, accumulated row by row (W_U is [768, 50257]: columns stride far)
        for (int g = 0; g < groups; g++) {
            WeightRows rows = new WeightRows(groups == 1 ? w : w.select(0, g)); // [D, N]
            int chunk = rows.chunkRows();
            Arrays.fill(mean, 0);
            for (int i = 0; i < d; i += chunk) {
                int m = Math.min(chunk, d - i);
                float[] x = rows.read(i, m);
                RowMath.addScaled(b, g * n, x, m, n, ln[1], i);
                RowMath.addScaled(mean, 0, x, m, n, ln[0], i);
            }
            RowMath.divide(mean, d);
            for (int i = 0; i < d; i += chunk) {
                int m = Math.min(chunk, d - i);
                RowMath.scaleMinus(out.rows(), rows.read(i, m), m, n, ln[0], i, mean);
                out.put(g * d + i, m);
            }
        }
        sd.put(wKey, out.tensor().reshape(wShape));
        sd.put(bKey, write(b, arena, bShape));
    }

    /**
     * {@code key} (of exactly {@code shape}) minus its mean over the last axis: x - x.mean(-1, keepdim=True), row by
     * row.
     */
    private static void centreLastAxis(StateDict sd, String key, Arena arena, int... shape) {
        int n = shape[shape.length - 1];
        int count = n == 0 ? 0 : Shape.numel(shape) / n;
        Tensor rows = matrix(sd.require(key, shape), count, n);
        sd.put(key, centreRows(rows, WeightRows.writer(count, n, arena, key)).reshape(shape));
    }

    /** The table [rows, n] under key, replaced by its kept rows shifted by their means (as {@link RowMath#centre}). */
    private static void centreTable(StateDict sd, String key, int rows, int n) {
        Tensor table = sd.require(key, rows, n);
        double[] means = new double[rows];
        WeightRows reader = new WeightRows(table);
        for (int r = 0; r < rows; r += reader.chunkRows()) {
            int m = Math.min(reader.chunkRows(), rows - r);
            RowMath.means(means, r, reader.read(r, m), m, n);
        }
        Tensor kept = OwnedWeights.own(table);
        if (!kept.isContiguous() || kept.offset() != 0 || kept.storage().size() != kept.numel()) {
            kept = Tensor.of(kept.toArray(), rows, n); // a view into a larger heap array: rows of its own
        }
        Tensor shifted = Tensor.view(new RowShiftedStorage(kept.storage(), n, means), new int[] {rows, n},
                new int[] {n, 1}, 0);
        sd.put(key, shifted);
    }

    /** Each row of x [rows, n] minus its mean, written to {@code out} (which may be x itself); returns the result. */
    private static Tensor centreRows(Tensor x, WeightRows.Writer out) {
        WeightRows rows = new WeightRows(x);
        int n = x.size(1);
        int chunk = rows.chunkRows();
        for (int r = 0; r < x.size(0); r += chunk) {
            int m = Math.min(chunk, x.size(0) - r);
            RowMath.centre(out.rows(), rows.read(r, m), m, n);
            out.put(r, m);
        }
        return out.tensor();
    }

    /** t as [rows, n]: itself when 2-D (any strides), a view when contiguous, else a contiguous copy. */
    private static Tensor matrix(Tensor t, int rows, int n) {
        return t.rank() == 2 ? t : (t.isContiguous() ? t : t.contiguous()).reshape(rows, n);
    }

    /** TL fold_value_biases on one layer: b_O += sum_{h,e} b_V[h, e] W_O[h, e, :]; b_V = 0. */
    static void foldValueBiases(Gpt2Config cfg, StateDict sd, int layer, Arena arena) {
        int d = cfg.dModel();
        int rows = cfg.nHeads() * cfg.dHead();
        String p = "blocks." + layer + ".attn.";
        double[] bV = read(sd.require(p + "b_V", cfg.nHeads(), cfg.dHead()));
        WeightRows wO = new WeightRows(matrix(sd.require(p + "W_O", cfg.nHeads(), cfg.dHead(), d), rows, d));
        double[] bO = read(sd.require(p + "b_O", d));
        for (int r = 0; r < rows; r += wO.chunkRows()) {
            int m = Math.min(wO.chunkRows(), rows - r);
            RowMath.addScaled(bO, 0, wO.read(r, m), m, d, bV, r);
        }
        sd.put(p + "b_O", write(bO, arena, d));
        sd.put(p + "b_V", Tensor.zeros(cfg.nHeads(), cfg.dHead()));
    }

    /** The elements of {@code t} in row-major order, widened to double. */
    static double[] read(Tensor t) {
        float[] f = t.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** {@code x} rounded to a new float32 tensor of {@code shape}: off the heap in {@code arena} when large. */
    static Tensor write(double[] x, Arena arena, int... shape) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        if (x.length < OFF_HEAP_MIN) {
            return Tensor.of(f, shape);
        }
        MemorySegment segment = OffHeap.allocate((long) f.length * Float.BYTES, arena, "a processed weight");
        MemorySegment.copy(f, 0, segment, ValueLayout.JAVA_FLOAT, 0, f.length);
        return Tensor.view(new SegmentStorage(segment, DType.F32), shape, Shape.contiguousStrides(shape), 0);
    }
}
