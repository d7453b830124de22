// TL refactor_factored_attn_matrices: each head's QK and OV circuits rewritten as balanced SVD factorisations.
//
// Mirrors HookedTransformer.refactor_factored_attn_matrices and FactoredMatrix.svd / make_even (TL v2), per layer
// and head h, with D d_model, E d_head:
//   QK: Q = [W_Q[h]; b_Q[h]] and K = [W_K[h]; b_K[h]] are [D+1, E] (the bias as an extra input row, read by a 1), so
//       scores = [x, 1] Q K^T [x', 1]^T. With U S V^T the SVD of Q K^T: Q' = U sqrt(S), K' = V sqrt(S); the last
//       rows become b_Q and b_K again. Q' K'^T = Q K^T, so every score is unchanged.
//   OV: b_O += sum_{h,e} b_V[h, e] W_O[h, e, :], b_V = 0 (fold_value_biases); then with U S V^T the SVD of
//       W_V[h] W_O[h]: W_V = U diag(S) [D, E], W_O = V^T [E, D]. The product, so each head's output, is unchanged.
// FactoredMatrix.svd of A B (A [m, k], B [k, n]) without forming A B: A = Ua Sa Va^T, B = Ub Sb Vb^T,
// middle = diag(Sa) Va^T Ub diag(Sb) [k, k] = Um Sm Vm^T; then U = Ua Um, S = Sm, V = Vb Vm.
// Singular vectors are defined up to sign (and rotation within equal singular values), so the factors may differ
// from torch's by those symmetries; the products, and hence the model, do not.
package dev.jlens.model.weights;

import dev.jlens.model.config.Gpt2Config;
import java.lang.foreign.Arena;

/** The QK / OV refactoring step of {@link WeightProcessing}. */
final class AttnRefactor {
    private AttnRefactor() {}

    /** Rewrites W_Q, b_Q, W_K, b_K, W_V, b_V, W_O and b_O of block {@code layer} in {@code sd}. */
    static void refactor(Gpt2Config cfg, StateDict sd, int layer, Arena arena) {
        WeightProcessing.foldValueBiases(cfg, sd, layer, arena);
        int h = cfg.nHeads();
        int d = cfg.dModel();
        int e = cfg.dHead();
        String p = "blocks." + layer + ".attn.";
        double[] wQ = WeightProcessing.read(sd.require(p + "W_Q", h, d, e));
        double[] bQ = WeightProcessing.read(sd.require(p + "b_Q", h, e));
        double[] wK = WeightProcessing.read(sd.require(p + "W_K", h, d, e));
        double[] bK = WeightProcessing.read(sd.require(p + "b_K", h, e));
        double[] wV = WeightProcessing.read(sd.require(p + "W_V", h, d, e));
        double[] wO = WeightProcessing.read(sd.require(p + "W_O", h, e, d));
        for (int head = 0; head < h; head++) {
            queryKey(head, wQ, bQ, wK, bK, d, e);
            valueOutput(head, wV, wO, d, e);
        }
        sd.put(p + "W_Q", WeightProcessing.write(wQ, arena, h, d, e));
        sd.put(p + "b_Q", WeightProcessing.write(bQ, arena, h, e));
        sd.put(p + "W_K", WeightProcessing.write(wK, arena, h, d, e));
        sd.put(p + "b_K", WeightProcessing.write(bK, arena, h, e));
        sd.put(p + "W_V", WeightProcessing.write(wV, arena, h, d, e));
        sd.put(p + "W_O", WeightProcessing.write(wO, arena, h, e, d));
    }

    /** QK of one head: [W; b] for Q and K become U sqrt(S) and V sqrt(S) of the SVD of Q K^T. */
    private static void queryKey(int head, double[] wQ, double[] bQ, double[] wK, double[] bK, int d, int e) {
        double[][] q = withBiasRow(wQ, bQ, head, d, e);
        double[][] k = withBiasRow(wK, bK, head, d, e);
        JacobiSvd svd = factoredSvd(q, JacobiSvd.transpose(k));
        for (int i = 0; i <= d; i++) {
            for (int j = 0; j < e; j++) {
                double root = Math.sqrt(svd.s()[j]);
                double qij = svd.u()[i][j] * root;
                double kij = svd.v()[i][j] * root;
                if (i < d) {
                    wQ[(head * d + i) * e + j] = qij;
                    wK[(head * d + i) * e + j] = kij;
                } else {
                    bQ[head * e + j] = qij;
                    bK[head * e + j] = kij;
                }
            }
        }
    }

    /** OV of one head: W_V = U diag(S), W_O = V^T of the SVD of W_V W_O. */
    private static void valueOutput(int head, double[] wV, double[] wO, int d, int e) {
        double[][] v = new double[d][e];
        double[][] o = new double[e][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < e; j++) {
                v[i][j] = wV[(head * d + i) * e + j];
                o[j][i] = wO[(head * e + j) * d + i];
            }
        }
        JacobiSvd svd = factoredSvd(v, o);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < e; j++) {
                wV[(head * d + i) * e + j] = svd.u()[i][j] * svd.s()[j];
                wO[(head * e + j) * d + i] = svd.v()[i][j];
            }
        }
    }

    /** [W[head]; b[head]] as a [d+1][e] matrix from W [H, d, e] and b [H, e]. */
    private static double[][] withBiasRow(double[] w, double[] b, int head, int d, int e) {
        double[][] out = new double[d + 1][e];
        for (int i = 0; i < d; i++) {
            System.arraycopy(w, (head * d + i) * e, out[i], 0, e);
        }
        System.arraycopy(b, head * e, out[d], 0, e);
        return out;
    }

    /** TL FactoredMatrix.svd: the SVD of a [m, k] times b [k, n] (k <= m, n) through a k x k middle matrix. */
    static JacobiSvd factoredSvd(double[][] a, double[][] b) {
        JacobiSvd sa = JacobiSvd.of(a);
        JacobiSvd sb = JacobiSvd.of(b);
        int k = sa.s().length;
        double[][] middle = JacobiSvd.matmul(JacobiSvd.transpose(sa.v()), sb.u()); // Va^T Ub
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                middle[i][j] *= sa.s()[i] * sb.s()[j];
            }
        }
        JacobiSvd sm = JacobiSvd.of(middle);
        return new JacobiSvd(JacobiSvd.matmul(sa.u(), sm.u()), sm.s(), JacobiSvd.matmul(sb.v(), sm.v()));
    }
}
