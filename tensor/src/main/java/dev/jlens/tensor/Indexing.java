// Tensor-layer helpers with no kernel of their own: gather's index checks, cat/stack, allclose, maxAbsDiff.
package dev.jlens.tensor;

import dev.jlens.tensor.backend.Backends;
import java.util.Arrays;

/** Ops built from views and copies, plus argument checks that read index values. */
final class Indexing {
    private Indexing() {}

    /** torch.gather's rules: same rank, index no larger than the input off {@code dim}, integral in range. */
    static void checkGather(Tensor a, int dim, Tensor index) {
        if (index.rank() != a.rank()) {
            throw new IllegalArgumentException("gather: index " + Shape.str(index.shape()) + " must have the rank of"
                    + " the input " + Shape.str(a.shape()));
        }
        for (int d = 0; d < a.rank(); d++) {
            if (d != dim && index.size(d) > a.size(d)) {
                throw new IllegalArgumentException("gather: index " + Shape.str(index.shape()) + " is larger than the"
                        + " input " + Shape.str(a.shape()) + " in dim " + d);
            }
        }
        int size = a.size(dim);
        Tensor host = index.toHost(); // one download for a device index, not one per element
        for (StridedCursor c = new StridedCursor(host); c.hasElement(); c.next()) {
            float v = host.storage().get(c.position());
            if (v != Math.rint(v) || v < 0 || v >= size) {
                throw new IndexOutOfBoundsException("gather: index value " + v + " is out of range for dim " + dim
                        + " of size " + size + " (input shape " + Shape.str(a.shape()) + ")");
            }
        }
    }

    static Tensor cat(int dim, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("cat: no tensors given");
        }
        int[] first = parts[0].shape();
        int d = Shape.dim(dim, first.length, "cat");
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            int[] s = parts[i].shape();
            if (s.length != first.length || !sameExcept(s, first, d)) {
                throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shape.str(s)
                        + " but tensor 0 has " + Shape.str(first) + "; only dim " + dim + " may differ");
            }
            total += s[d];
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        Tensor out = Backends.current().zeros(outShape);
        int at = 0;
        for (Tensor p : parts) {
            out.narrow(d, at, p.size(d)).copyFrom(p);
            at += p.size(d);
        }
        return out;
    }

    static Tensor stack(int dim, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        int d = Shape.dim(dim, parts[0].rank() + 1, "stack");
        Tensor[] lifted = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape(), parts[0].shape())) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(parts[i].shape())
                        + " but tensor 0 has " + Shape.str(parts[0].shape()));
            }
            lifted[i] = parts[i].unsqueeze(d);
        }
        return cat(d, lifted);
    }

    static boolean allclose(Tensor left, Tensor right, double rtol, double atol) {
        requireSameShape("allclose", left, right);
        Tensor a = left.toHost();
        Tensor b = right.toHost();
        StridedCursor ca = new StridedCursor(a);
        for (StridedCursor cb = new StridedCursor(b); cb.hasElement(); ca.next(), cb.next()) {
            double x = a.storage().get(ca.position());
            double y = b.storage().get(cb.position());
            if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y)) && x != y) {
                return false;
            }
        }
        return true;
    }

    static double maxAbsDiff(Tensor left, Tensor right) {
        requireSameShape("maxAbsDiff", left, right);
        Tensor a = left.toHost();
        Tensor b = right.toHost();
        double max = 0;
        StridedCursor ca = new StridedCursor(a);
        for (StridedCursor cb = new StridedCursor(b); cb.hasElement(); ca.next(), cb.next()) {
            double diff = Math.abs((double) a.storage().get(ca.position()) - b.storage().get(cb.position()));
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            max = Math.max(max, diff);
        }
        return max;
    }

    private static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shape.str(a.shape()) + " and "
                    + Shape.str(b.shape()) + " differ");
        }
    }

    private static boolean sameExcept(int[] a, int[] b, int skip) {
        for (int i = 0; i < a.length; i++) {
            if (i != skip && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
