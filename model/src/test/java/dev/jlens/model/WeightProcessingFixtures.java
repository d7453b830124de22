// Weights on which every weight-processing step matters, and the max-difference helpers its tests report.
package dev.jlens.model;

import dev.jlens.model.config.Gpt2Config;
import dev.jlens.model.weights.StateDict;
import dev.jlens.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test fixtures for {@link WeightProcessingTest}. */
final class WeightProcessingFixtures {
    private WeightProcessingFixtures() {}

    /**
     * TinyModels' weights (sharp attention) with LayerNorm weights far from 1 (1 + N(0, 0.5)), LayerNorm biases
     * N(0, 0.5), every other bias N(0, 0.2), and W_U 10x larger so log-probs are far from uniform: dropping any
     * folded term then moves the log-probs far above 1e-4.
     */
    static StateDict strongWeights(Gpt2Config cfg) {
        StateDict sd = TinyModels.weights(cfg);
        long seed = 1000;
        for (String key : sd.keys()) {
            Tensor t = sd.get(key);
            if (key.endsWith("ln1.w") || key.endsWith("ln2.w") || key.equals("ln_final.w")) {
                sd.put(key, Tensor.randn(seed++, t.shape()).scale(0.5f).add(Tensor.scalar(1f)));
            } else if (key.endsWith("ln1.b") || key.endsWith("ln2.b") || key.equals("ln_final.b")) {
                sd.put(key, Tensor.randn(seed++, t.shape()).scale(0.5f));
            } else if (key.equals("unembed.W_U")) {
                sd.put(key, t.scale(10f));
            } else if (key.contains(".b_")) {
                sd.put(key, Tensor.randn(seed++, t.shape()).scale(0.2f));
            }
        }
        return sd;
    }

    /** A shallow copy (same tensors) that can be edited without touching {@code sd}. */
    static StateDict copy(StateDict sd) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            m.put(key, sd.get(key));
        }
        return new StateDict(m, sd.source());
    }

    /** max |a - b| over [b][p][v] arrays of log-softmaxed logits. */
    static double maxLogProbDiff(double[][][] a, double[][][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < a[i].length; p++) {
                double za = logSumExp(a[i][p]);
                double zb = logSumExp(b[i][p]);
                for (int v = 0; v < a[i][p].length; v++) {
                    max = Math.max(max, Math.abs((a[i][p][v] - za) - (b[i][p][v] - zb)));
                }
            }
        }
        return max;
    }

    static double logSumExp(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    /** max |want - got| of logits [b][p][v]. */
    static double maxDiff(double[][][] want, Tensor got) {
        double max = 0;
        for (int b = 0; b < want.length; b++) {
            for (int p = 0; p < want[b].length; p++) {
                for (int v = 0; v < want[b][p].length; v++) {
                    max = Math.max(max, Math.abs(want[b][p][v] - got.get(b, p, v)));
                }
            }
        }
        return max;
    }

    /** max |x| over all elements. */
    static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The diagonal of a square matrix as a diagonal matrix. */
    static Tensor diag(Tensor square) {
        Tensor out = Tensor.zeros(square.shape());
        for (int i = 0; i < square.size(0); i++) {
            out.set(square.get(i, i), i, i);
        }
        return out;
    }
}
