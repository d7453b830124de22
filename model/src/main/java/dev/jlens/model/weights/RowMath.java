// The arithmetic of weight processing on a chunk of rows: x holds m rows of length n (row r at x[r*n ..]), read as
// float, accumulated in double, written back as float.
//
// Each method is a short pair of loops over arrays, so the JIT compiles it quickly and vectorises the elementwise
// inner loops; callers loop over chunks only, so their loops stay cold (a load used to spend more CPU compiling the
// row-by-row processing loops, with the reads and writes inlined, than running them). Every sum runs in row, then
// index order, as the row-by-row loops did: the same bits in every JIT tier and on every thread.
package dev.jlens.model.weights;

/** Chunk operations of {@link WeightProcessing} and {@link TransposedUnembed}. */
final class RowMath {
    private RowMath() {}

    /** For each row r < m in order: acc[off + j] += a[aOff + r] * x[r, j]. */
    static void addScaled(double[] acc, int off, float[] x, int m, int n, double[] a, int aOff) {
        for (int r = 0; r < m; r++) {
            double s = a[aOff + r];
            int row = r * n;
            for (int j = 0; j < n; j++) {
                acc[off + j] += s * x[row + j];
            }
        }
    }

    /** For each row r < m in order: acc[j] += x[r, j]. */
    static void add(double[] acc, float[] x, int m, int n) {
        for (int r = 0; r < m; r++) {
            int row = r * n;
            for (int j = 0; j < n; j++) {
                acc[j] += x[row + j];
            }
        }
    }

    /** out[r, j] = x[r, j] * a[aOff + r] - shift[j], rounded to float. */
    static void scaleMinus(float[] out, float[] x, int m, int n, double[] a, int aOff, double[] shift) {
        for (int r = 0; r < m; r++) {
            double s = a[aOff + r];
            int row = r * n;
            for (int j = 0; j < n; j++) {
                out[row + j] = (float) (x[row + j] * s - shift[j]);
            }
        }
    }

    /** out[r, j] = x[r, j] - shift[j], rounded to float. */
    static void minus(float[] out, float[] x, int m, int n, double[] shift) {
        for (int r = 0; r < m; r++) {
            int row = r * n;
            for (int j = 0; j < n; j++) {
                out[row + j] = (float) (x[row + j] - shift[j]);
            }
        }
    }

    /** out[r, :] = x[r, :] - mean(x[r, :]) ({@link #mean}), rounded to float. */
    static void centre(float[] out, float[] x, int m, int n) {
        for (int r = 0; r < m; r++) {
            int row = r * n;
            double mean = mean(x, row, n);
            for (int j = 0; j < n; j++) {
                out[row + j] = (float) (x[row + j] - mean);
            }
        }
    }

    /** means[off + r] = mean(x[r, :]) ({@link #mean}) for each row r &lt; m. */
    static void means(double[] means, int off, float[] x, int m, int n) {
        for (int r = 0; r < m; r++) {
            means[off + r] = mean(x, r * n, n);
        }
    }

    /** The mean of x[row, row + n): summed in index order in double, divided by n. */
    private static double mean(float[] x, int row, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += x[row + j];
        }
        return sum / n;
    }

    /**
     * fold_ln on rows of W_U^T: for each row r, b[bOff + r] += sum_j c[j] x[r, j] and, with
     * mu = (sum_j x[r, j] w[j]) / n, out[r, j] = x[r, j] w[j] - mu (both sums in index order, b's from its value).
     */
    static void foldRows(float[] out, float[] x, int m, int n, double[] b, int bOff, double[] w, double[] c) {
        for (int r = 0; r < m; r++) {
            int row = r * n;
            double bias = b[bOff + r];
            double sum = 0;
            for (int j = 0; j < n; j++) {
                bias += c[j] * x[row + j];
                sum += x[row + j] * w[j];
            }
            b[bOff + r] = bias;
            double mean = sum / n;
            for (int j = 0; j < n; j++) {
                out[row + j] = (float) (x[row + j] * w[j] - mean);
            }
        }
    }

    /** v[j] / d for each element, in place. */
    static void divide(double[] v, double d) {
        for (int j = 0; j < v.length; j++) {
            v[j] /= d;
        }
    }
}
