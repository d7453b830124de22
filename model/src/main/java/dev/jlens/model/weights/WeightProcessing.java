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
import dev.jlens.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TL's weight processing as a pure function of a config and a TL-keyed state dict: the input is never mutated; the
 * result has its own config (LN becomes LN_PRE after fold_ln) and a new state dict whose unchanged tensors are the
 * input's. Steps that do not apply are skipped with a logged warning, as TL does: fold_ln and
 * center_writing_weights without LayerNorm (normalization NONE) or with a shortformer positional embedding (whose
 * W_pos is added after ln1, so TL forces both off). fold_ln on an LN_PRE model (already folded) does nothing.
 */
public final class WeightProcessing {
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
     * @return the processed config and a new state dict
     * @throws IllegalArgumentException when a weight the steps read is missing or misshapen
     */
    public static Processed process(Gpt2Config cfg, StateDict weights, ProcessingOptions options) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        for (String key : weights.keys()) {
            copy.put(key, weights.get(key));
        }
        StateDict sd = new StateDict(copy, weights.source() + " (processed: " + options + ")");
        Gpt2Config out = cfg;
        boolean shortformer = cfg.positionalEmbeddingType() == PositionalEmbeddingType.SHORTFORMER;
        boolean folded = cfg.normalizationType() == NormalizationType.LN_PRE; // nothing left to fold
        if (options.foldLn() && !folded && applies("fold_ln", cfg, shortformer)) {
            foldLayerNorm(cfg, sd);
            out = cfg.withNormalizationType(NormalizationType.LN_PRE);
        }
        if (options.centerWritingWeights() && applies("center_writing_weights", cfg, shortformer)) {
            centerWritingWeights(cfg, sd);
        }
        if (options.centerUnembed()) {
            centreLastAxis(sd, "unembed.W_U", cfg.dModel(), cfg.dVocab());
            centreLastAxis(sd, "unembed.b_U", cfg.dVocab());
        }
        if (options.foldValueBiases()) {
            foldValueBiases(cfg, sd);
        }
        if (options.refactorFactoredAttnMatrices()) {
            AttnRefactor.refactor(cfg, sd);
        }
        return new Processed(out, sd);
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

    /** TL fold_layer_norm(fold_biases=True, center_weights=True): ln1 into Q/K/V, ln2 into W_in, ln_final into W_U. */
    private static void foldLayerNorm(Gpt2Config cfg, StateDict sd) {
        int d = cfg.dModel();
        for (int l = 0; l < cfg.nLayers(); l++) {
            String p = "blocks." + l + ".";
            double[][] ln1 = takeLayerNorm(sd, p + "ln1", d);
            for (String m : new String[] {"Q", "K", "V"}) {
                foldInto(sd, p + "attn.W_" + m, p + "attn.b_" + m, ln1, cfg.nHeads(), d, cfg.dHead());
            }
            if (!cfg.attnOnly()) {
                foldInto(sd, p + "mlp.W_in", p + "mlp.b_in", takeLayerNorm(sd, p + "ln2", d), 1, d, cfg.dMlp());
            }
        }
        foldInto(sd, "unembed.W_U", "unembed.b_U", takeLayerNorm(sd, "ln_final", d), 1, d, cfg.dVocab());
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
     * b += sum_d ln.b[d] W[g, d, :]; W *= ln.w[:, None]; W -= mean over D.
     */
    private static void foldInto(StateDict sd, String wKey, String bKey, double[][] ln, int groups, int d, int n) {
        int[] wShape = groups == 1 ? new int[] {d, n} : new int[] {groups, d, n};
        int[] bShape = groups == 1 ? new int[] {n} : new int[] {groups, n};
        double[] w = read(sd.require(wKey, wShape));
        double[] b = read(sd.require(bKey, bShape));
        for (int g = 0; g < groups; g++) {
            int base = g * d * n;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < n; j++) {
                    b[g * n + j] += ln[1][i] * w[base + i * n + j];
                    w[base + i * n + j] *= ln[0][i];
                }
            }
            double[] mean = new double[n]; // over D, accumulated row by row (W_U is [768, 50257]: columns stride far)
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < n; j++) {
                    mean[j] += w[base + i * n + j];
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < n; j++) {
                    w[base + i * n + j] -= mean[j] / d;
                }
            }
        }
        sd.put(wKey, write(w, wShape));
        sd.put(bKey, write(b, bShape));
    }

    /** TL center_writing_weights: everything written into the residual stream loses its d_model mean. */
    private static void centerWritingWeights(Gpt2Config cfg, StateDict sd) {
        int d = cfg.dModel();
        centreLastAxis(sd, "embed.W_E", cfg.dVocab(), d);
        centreLastAxis(sd, "pos_embed.W_pos", cfg.nCtx(), d);
        for (int l = 0; l < cfg.nLayers(); l++) {
            String p = "blocks." + l + ".";
            centreLastAxis(sd, p + "attn.W_O", cfg.nHeads(), cfg.dHead(), d);
            centreLastAxis(sd, p + "attn.b_O", d);
            if (!cfg.attnOnly()) {
                centreLastAxis(sd, p + "mlp.W_out", cfg.dMlp(), d);
                centreLastAxis(sd, p + "mlp.b_out", d);
            }
        }
    }

    /** {@code key} (of exactly {@code shape}) minus its mean over the last axis: x - x.mean(-1, keepdim=True). */
    private static void centreLastAxis(StateDict sd, String key, int... shape) {
        double[] x = read(sd.require(key, shape));
        int n = shape[shape.length - 1];
        for (int row = 0; row < x.length; row += n) {
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x[row + j];
            }
            mean /= n;
            for (int j = 0; j < n; j++) {
                x[row + j] -= mean;
            }
        }
        sd.put(key, write(x, shape));
    }

    /** TL fold_value_biases: b_O += sum_{h,e} b_V[h, e] W_O[h, e, :]; b_V = 0. */
    static void foldValueBiases(Gpt2Config cfg, StateDict sd) {
        int d = cfg.dModel();
        int rows = cfg.nHeads() * cfg.dHead();
        for (int l = 0; l < cfg.nLayers(); l++) {
            String p = "blocks." + l + ".attn.";
            double[] bV = read(sd.require(p + "b_V", cfg.nHeads(), cfg.dHead()));
            double[] wO = read(sd.require(p + "W_O", cfg.nHeads(), cfg.dHead(), d));
            double[] bO = read(sd.require(p + "b_O", d));
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < d; j++) {
                    bO[j] += bV[r] * wO[r * d + j];
                }
            }
            sd.put(p + "b_O", write(bO, d));
            sd.put(p + "b_V", Tensor.zeros(cfg.nHeads(), cfg.dHead()));
        }
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

    /** {@code x} rounded to a new float32 tensor of {@code shape}. */
    static Tensor write(double[] x, int... shape) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return Tensor.of(f, shape);
    }
}
