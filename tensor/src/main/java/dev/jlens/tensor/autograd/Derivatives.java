// Local derivatives of the backend ops that need more than one line: d input from d output, as tensor ops.
package dev.jlens.tensor.autograd;

import dev.jlens.tensor.Tensor;
import dev.jlens.tensor.backend.Backend;
import dev.jlens.tensor.backend.BinaryOp;
import dev.jlens.tensor.backend.ReduceOp;
import dev.jlens.tensor.backend.UnaryOp;

/** Chain-rule steps: given g = d output / d out of one op, the gradient of each input (same shapes as the op's). */
final class Derivatives {
    private Derivatives() {}

    /** a (op) b: add, sub pass g (negated for b of sub); mul swaps the factors; div: g / b and -g out / b. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, Tensor g, boolean ta, boolean tb, Grads grads) {
        if (ta) {
            grads.add(a, switch (op) {
                case ADD, SUB -> g;
                case MUL -> g.mul(b);
                case DIV -> g.div(b);
            });
        }
        if (tb) {
            grads.add(b, switch (op) {
                case ADD -> g;
                case SUB -> g.scale(-1);
                case MUL -> g.mul(a);
                case DIV -> g.mul(out).div(b).scale(-1);
            });
        }
    }

    /** f(a) elementwise: exp' = out, log' = 1 / a, tanh' = 1 - out^2, sqrt' = 1 / (2 out), gelu_new by kernel. */
    static Tensor unary(Backend backend, UnaryOp op, Tensor a, Tensor out, Tensor g) {
        return switch (op) {
            case EXP -> g.mul(out);
            case LOG -> g.div(a);
            case TANH -> g.mul(Tensor.scalar(1f).sub(out.mul(out)));
            case SQRT -> g.div(out).scale(0.5f);
            case GELU_NEW -> backend.geluNewBackward(a, g);
        };
    }

    /** A reduction along dim: sum spreads g, mean spreads g / n, max routes g to the first maximum, lse to softmax. */
    static Tensor reduce(Backend backend, ReduceOp op, Tensor a, int dim, boolean keepDim, Tensor out, Tensor g) {
        Tensor gk = keepDim ? g : g.unsqueeze(dim);
        return switch (op) {
            case SUM -> gk.expand(a.shape());
            case MEAN -> gk.scale(1f / a.size(dim)).expand(a.shape());
            case MAX -> scatter(a.shape(), dim, backend.argmax(a, dim, true), gk);
            case LOGSUMEXP -> gk.mul(a.sub(keepDim ? out : out.unsqueeze(dim)).exp());
        };
    }

    /**
     * a [..., M, K] . b: ga = g b^T (a weight b [K, N] through the backend's transposed product), gb = a^T g (summed
     * over a's leading dims when b is 2-D).
     */
    static void matmul(Backend backend, Tensor a, Tensor b, Tensor g, boolean ta, boolean tb, Grads grads) {
        if (ta) {
            grads.add(a, b.rank() == 2 ? backend.matmulTransposed(g, b) : g.matmul(b.transpose(-1, -2)));
        }
        if (tb) {
            if (b.rank() == 2) {
                int k = a.size(-1);
                grads.add(b, a.contiguous().reshape(-1, k).transpose(0, 1).matmul(g.reshape(-1, b.size(1))));
            } else {
                grads.add(b, a.transpose(-1, -2).matmul(g));
            }
        }
    }

    /** zeros(shape) with g[i] added at i with dim replaced by index[i] (torch scatter_add): gather's backward. */
    static Tensor scatter(int[] shape, int dim, Tensor index, Tensor g) {
        Tensor out = Tensor.zeros(shape);
        Tensor idx = index.contiguous();
        Tensor gv = g.expand(idx.shape()).contiguous();
        int[] coord = new int[shape.length];
        int[] ishape = idx.shape();
        for (int i = 0; i < idx.numel(); i++) {
            int rest = i;
            for (int d = ishape.length - 1; d >= 0; d--) {
                coord[d] = rest % ishape[d];
                rest /= ishape[d];
            }
            coord[dim] = (int) idx.heapArray()[idx.offset() + i];
            out.set(out.get(coord) + gv.heapArray()[gv.offset() + i], coord);
        }
        return out;
    }
}
