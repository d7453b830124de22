// An independent float64 GPT-2 forward in plain loops: shares no code with the engine's components or kernels.
package dev.jlens.model;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.config.NormalizationType;
import dev.jlens.model.weights.StateDict;

/**
 * The textbook GPT-2 forward (Radford et al. 2019; nanoGPT's model.py) in double precision over flat arrays:
 * h = W_E[t] + W_pos[p]; per block h += attn(ln1(h)); h += mlp(ln2(h)); logits = ln_f(h) W_U + b_U. It reads
 * the TL-keyed weights only through {@code toArray()}; everything else is its own.
 */
final class ReferenceGpt2 {
    private final Gpt2Config cfg;
    private final StateDict sd;
    private Edits edits = new Edits() {}; // of the logits call in progress
    private int row;                      // its batch row in progress

    ReferenceGpt2(Gpt2Config cfg, StateDict sd) {
        this.cfg = cfg;
        this.sd = sd;
    }

    private double[] w(String key) {
        float[] f = sd.get(key).toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** logits[b][p][v] of tokens[b][p]; mask[b][p] (or null) marks real tokens as TL's attention_mask. */
    double[][][] logits(int[][] tokens, int[][] mask) {
        return logits(tokens, mask, null);
    }

    /** logits with {@code embedDelta}[b][p][i] (or null) added to the token embedding (hook_embed). */
    double[][][] logits(int[][] tokens, int[][] mask, double[][][] embedDelta) {
        return logits(tokens, mask, embedDelta, new Edits() {});
    }

    /**
     * TL-style interventions, as a hook on hook_attn_scores, hook_pattern or a layer norm's hook_scale would make
     * them; each sees the values of batch row b and may change them in place.
     */
    interface Edits {
        /** scores[j] over all key positions j (-inf where masked) of query i, head h, block layer. */
        default void scores(int b, int layer, int h, int i, double[] scores) {}

        /** pattern[j] over all key positions j of query i, head h, block layer. */
        default void pattern(int b, int layer, int h, int i, double[] pattern) {}

        /** The scale of layer norm {@code name} (e.g. "blocks.0.ln1", "ln_final") at position p. */
        default double scale(int b, String name, int p, double scale) {
            return scale;
        }
    }

    /** logits under {@code edits}, otherwise as {@link #logits(int[][], int[][], double[][][])}; not thread-safe. */
    double[][][] logits(int[][] tokens, int[][] mask, double[][][] embedDelta, Edits edits) {
        double[][][] out = new double[tokens.length][][];
        this.edits = edits;
        for (int b = 0; b < tokens.length; b++) {
            this.row = b;
            out[b] = sequence(tokens[b], mask == null ? null : mask[b], embedDelta == null ? null : embedDelta[b]);
        }
        return out;
    }

    private double[][] sequence(int[] tokens, int[] mask, double[][] embedDelta) {
        int n = tokens.length;
        int d = cfg.dModel();
        double[] wte = w("embed.W_E");
        double[] wpe = w("pos_embed.W_pos");
        double[][] h = new double[n][d];
        int real = 0;
        for (int p = 0; p < n; p++) {
            boolean isReal = mask == null || mask[p] != 0;
            real += isReal ? 1 : 0;
            int position = Math.max(0, real - 1);
            for (int i = 0; i < d; i++) {
                h[p][i] = wte[tokens[p] * d + i] + (embedDelta == null ? 0 : embedDelta[p][i])
                        + (isReal ? wpe[position * d + i] : 0);
            }
        }
        for (int l = 0; l < cfg.nLayers(); l++) {
            String pre = "blocks." + l + ".";
            add(h, attention(norm(h, pre + "ln1"), l, mask));
            if (!cfg.attnOnly()) {
                add(h, mlp(norm(h, pre + "ln2"), pre + "mlp."));
            }
        }
        double[][] x = norm(h, "ln_final");
        double[][] logits = new double[n][];
        for (int p = 0; p < n; p++) {
            logits[p] = affine(x[p], w("unembed.W_U"), w("unembed.b_U"), cfg.dVocab());
        }
        return logits;
    }

    private double[][] norm(double[][] h, String name) {
        if (cfg.normalizationType() == NormalizationType.NONE) {
            return h;
        }
        boolean affine = cfg.normalizationType() == NormalizationType.LN;
        double[] g = affine ? w(name + ".w") : null;
        double[] beta = affine ? w(name + ".b") : null;
        double[][] out = new double[h.length][];
        for (int p = 0; p < h.length; p++) {
            double mean = 0;
            for (double v : h[p]) {
                mean += v;
            }
            mean /= h[p].length;
            double var = 0;
            for (double v : h[p]) {
                var += (v - mean) * (v - mean);
            }
            double sd = edits.scale(row, name, p, Math.sqrt(var / h[p].length + cfg.eps()));
            out[p] = new double[h[p].length];
            for (int i = 0; i < h[p].length; i++) {
                double y = (h[p][i] - mean) / sd;
                out[p][i] = affine ? y * g[i] + beta[i] : y;
            }
        }
        return out;
    }

    private double[][] attention(double[][] x, int layer, int[] mask) {
        String pre = "blocks." + layer + ".attn.";
        int n = x.length;
        int d = cfg.dModel();
        int heads = cfg.nHeads();
        int e = cfg.dHead();
        double[] wq = w(pre + "W_Q");
        double[] wk = w(pre + "W_K");
        double[] wv = w(pre + "W_V");
        double[] bq = w(pre + "b_Q");
        double[] bk = w(pre + "b_K");
        double[] bv = w(pre + "b_V");
        double[] wo = w(pre + "W_O");
        double[] bo = w(pre + "b_O");
        double[][] out = new double[n][d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(bo, 0, out[p], 0, d);
        }
        for (int hd = 0; hd < heads; hd++) {
            double[][] q = headProjection(x, wq, bq, hd);
            double[][] k = headProjection(x, wk, bk, hd);
            double[][] v = headProjection(x, wv, bv, hd);
            for (int i = 0; i < n; i++) {
                double[] weights = new double[n]; // scores, then the pattern, over all key positions
                for (int j = 0; j < n; j++) {
                    weights[j] = Double.NEGATIVE_INFINITY;
                    if (j <= i && (mask == null || mask[j] != 0)) {
                        double dot = 0;
                        for (int c = 0; c < e; c++) {
                            dot += q[i][c] * k[j][c];
                        }
                        weights[j] = dot / Math.sqrt(e);
                    }
                }
                edits.scores(row, layer, hd, i, weights);
                softmax(weights);
                edits.pattern(row, layer, hd, i, weights);
                double[] z = new double[e];
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < e; c++) {
                        z[c] += weights[j] * v[j][c];
                    }
                }
                for (int c = 0; c < e; c++) {
                    for (int o = 0; o < d; o++) {
                        out[i][o] += z[c] * wo[(hd * e + c) * d + o];
                    }
                }
            }
        }
        return out;
    }

    /** Softmax in place; a row that is all -inf becomes all 0 (TL: NaN replaced by 0). */
    private static void softmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < s.length; j++) {
            s[j] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
            sum += s[j];
        }
        for (int j = 0; j < s.length; j++) {
            s[j] = sum == 0 ? 0 : s[j] / sum;
        }
    }

    /** x [n, d] . W[hd] [d, e] + b[hd] for weights laid out [heads, d, e]. */
    private double[][] headProjection(double[][] x, double[] wt, double[] b, int hd) {
        int d = cfg.dModel();
        int e = cfg.dHead();
        double[][] out = new double[x.length][e];
        for (int p = 0; p < x.length; p++) {
            for (int c = 0; c < e; c++) {
                double acc = b[hd * e + c];
                for (int i = 0; i < d; i++) {
                    acc += x[p][i] * wt[(hd * d + i) * e + c];
                }
                out[p][c] = acc;
            }
        }
        return out;
    }

    private double[][] mlp(double[][] x, String pre) {
        double[] wIn = w(pre + "W_in");
        double[] bIn = w(pre + "b_in");
        double[] wOut = w(pre + "W_out");
        double[] bOut = w(pre + "b_out");
        double[][] out = new double[x.length][];
        for (int p = 0; p < x.length; p++) {
            double[] hidden = affine(x[p], wIn, bIn, cfg.dMlp());
            for (int i = 0; i < hidden.length; i++) {
                double u = hidden[i];
                hidden[i] = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
            }
            out[p] = affine(hidden, wOut, bOut, cfg.dModel());
        }
        return out;
    }

    /** x [k] . W [k, n] + b [n]. */
    private static double[] affine(double[] x, double[] wt, double[] b, int n) {
        double[] out = b.clone();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < n; j++) {
                out[j] += x[i] * wt[i * n + j];
            }
        }
        return out;
    }

    private static void add(double[][] h, double[][] delta) {
        for (int p = 0; p < h.length; p++) {
            for (int i = 0; i < h[p].length; i++) {
                h[p][i] += delta[p][i];
            }
        }
    }
}
