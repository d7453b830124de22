// Elementwise kernels: out = a (+ - * /) b, row broadcasts (bias add), scale, exp, log, tanh, sqrt.
//   flat ops:     out[i] = f(a[i], b[i])           i < N
//   row ops:      out[r,i] = a[r,i] (+ or *) row[i]   a, out [rows, N]; row [N] (bias add, TL's `x + b`)
// Outputs: out (first argument). out may be the same region as an input (same array and offset): each vector is
// loaded before it is stored. Mirrors llm.c's residual_forward / bias adds and torch's elementwise ops.
// Each op has its own vector loop rather than a VectorOperators parameter: C2 intrinsifies lanewise(op) only
// when op is a compile-time constant, and a shared method taking op as an argument was measured ~20x slower.
package dev.jlens.kernels.cpu;

import static dev.jlens.kernels.cpu.VectorWidth.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise float kernels over contiguous regions ({@code array, offset, length}). Every public op dispatches
 * to its {@code *Scalar} twin when {@link VectorWidth#SCALAR}; otherwise it runs Vector API loops, split across
 * {@link CpuThreads} above {@link Chunks#PARALLEL_MIN} floats. exp, log and tanh use the JDK's vector math
 * (SVML on x86, within about 1 ulp); the twins use {@link Math} in double and round once.
 */
public final class Elementwise {
    private Elementwise() {}

    /** out[i] = a[i] + b[i], i &lt; n. */
    public static void add(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (VectorWidth.SCALAR) {
            addScalar(out, oOff, a, aOff, b, bOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> addVector(out, oOff + from, a, aOff + from, b, bOff + from, to - from));
    }

    /** out[i] = a[i] - b[i], i &lt; n. */
    public static void sub(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (VectorWidth.SCALAR) {
            subScalar(out, oOff, a, aOff, b, bOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> subVector(out, oOff + from, a, aOff + from, b, bOff + from, to - from));
    }

    /** out[i] = a[i] * b[i], i &lt; n. */
    public static void mul(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (VectorWidth.SCALAR) {
            mulScalar(out, oOff, a, aOff, b, bOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> mulVector(out, oOff + from, a, aOff + from, b, bOff + from, to - from));
    }

    /** out[i] = a[i] / b[i], i &lt; n (IEEE: x/0 is +-inf, 0/0 NaN). */
    public static void div(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (VectorWidth.SCALAR) {
            divScalar(out, oOff, a, aOff, b, bOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> divVector(out, oOff + from, a, aOff + from, b, bOff + from, to - from));
    }

    /** Bias add: out[r,i] = a[r,i] + row[i] for a, out [rows, n] and row [n]; row must not overlap out. */
    static void addRow(float[] out, int oOff, float[] a, int aOff, float[] row, int rOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            addRowScalar(out, oOff, a, aOff, row, rOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                addVector(out, oOff + r * n, a, aOff + r * n, row, rOff, n);
            }
        });
    }

    /** out[r,i] = a[r,i] * row[i] for a, out [rows, n] and row [n]; row must not overlap out. */
    static void mulRow(float[] out, int oOff, float[] a, int aOff, float[] row, int rOff, int rows, int n) {
        if (VectorWidth.SCALAR) {
            mulRowScalar(out, oOff, a, aOff, row, rOff, rows, n);
            return;
        }
        Chunks.rows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                mulVector(out, oOff + r * n, a, aOff + r * n, row, rOff, n);
            }
        });
    }

    /** out[i] = alpha * a[i], i &lt; n. */
    public static void scale(float[] out, int oOff, float[] a, int aOff, float alpha, int n) {
        if (VectorWidth.SCALAR) {
            scaleScalar(out, oOff, a, aOff, alpha, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> scaleVector(out, oOff + from, a, aOff + from, alpha, to - from));
    }

    /** out[i] = exp(a[i]), i &lt; n. */
    public static void exp(float[] out, int oOff, float[] a, int aOff, int n) {
        Chunks.rows(n, 1, (from, to) -> expScalar(out, oOff + from, a, aOff + from, to - from));
    }

    /** out[i] = ln(a[i]), i &lt; n (log 0 = -inf, log of a negative = NaN). */
    public static void log(float[] out, int oOff, float[] a, int aOff, int n) {
        Chunks.rows(n, 1, (from, to) -> logScalar(out, oOff + from, a, aOff + from, to - from));
    }

    /** out[i] = tanh(a[i]), i &lt; n. */
    public static void tanh(float[] out, int oOff, float[] a, int aOff, int n) {
        Chunks.rows(n, 1, (from, to) -> tanhScalar(out, oOff + from, a, aOff + from, to - from));
    }

    /** out[i] = sqrt(a[i]), i &lt; n (correctly rounded; NaN below 0). */
    public static void sqrt(float[] out, int oOff, float[] a, int aOff, int n) {
        if (VectorWidth.SCALAR) {
            sqrtScalar(out, oOff, a, aOff, n);
            return;
        }
        Chunks.rows(n, 1, (from, to) -> sqrtVector(out, oOff + from, a, aOff + from, to - from));
    }

    /** Scalar twin of {@link #add}. */
    static void addScalar(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    /** Scalar twin of {@link #sub}. */
    static void subScalar(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    /** Scalar twin of {@link #mul}. */
    static void mulScalar(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    /** Scalar twin of {@link #div}. */
    static void divScalar(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    /** Scalar twin of {@link #addRow}. */
    static void addRowScalar(float[] out, int oOff, float[] a, int aOff, float[] row, int rOff, int rows,
            int n) {
        for (int r = 0; r < rows; r++) {
            addScalar(out, oOff + r * n, a, aOff + r * n, row, rOff, n);
        }
    }

    /** Scalar twin of {@link #mulRow}. */
    static void mulRowScalar(float[] out, int oOff, float[] a, int aOff, float[] row, int rOff, int rows,
            int n) {
        for (int r = 0; r < rows; r++) {
            mulScalar(out, oOff + r * n, a, aOff + r * n, row, rOff, n);
        }
    }

    /** Scalar twin of {@link #scale}. */
    static void scaleScalar(float[] out, int oOff, float[] a, int aOff, float alpha, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = alpha * a[aOff + i];
        }
    }

    /** exp of each element in StrictMath (VectorOperators.EXP differs between the interpreter and C2). */
    static void expScalar(float[] out, int oOff, float[] a, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = (float) StrictMath.exp(a[aOff + i]); // fdlibm: the same bits in every JIT tier
        }
    }

    /** log of each element in StrictMath (VectorOperators.LOG differs between JIT tiers). */
    static void logScalar(float[] out, int oOff, float[] a, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = (float) StrictMath.log(a[aOff + i]); // fdlibm: the same bits in every JIT tier
        }
    }

    /** tanh of each element in StrictMath (VectorOperators.TANH differs between JIT tiers). */
    static void tanhScalar(float[] out, int oOff, float[] a, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = (float) StrictMath.tanh(a[aOff + i]); // fdlibm: the same bits in every JIT tier
        }
    }

    /** Scalar twin of {@link #sqrt}. */
    static void sqrtScalar(float[] out, int oOff, float[] a, int aOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = (float) Math.sqrt(a[aOff + i]);
        }
    }

    private static void addVector(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            x.add(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
        }
        addScalar(out, oOff + i, a, aOff + i, b, bOff + i, n - i);
    }

    private static void subVector(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            x.sub(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
        }
        subScalar(out, oOff + i, a, aOff + i, b, bOff + i, n - i);
    }

    private static void mulVector(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            x.mul(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
        }
        mulScalar(out, oOff + i, a, aOff + i, b, bOff + i, n - i);
    }

    private static void divVector(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
            x.div(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
        }
        divScalar(out, oOff + i, a, aOff + i, b, bOff + i, n - i);
    }

    /** Vector body of {@link #scale}; package-private for Softmax and Attention (normalizing a row). */
    static void scaleVector(float[] out, int oOff, float[] a, int aOff, float alpha, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, aOff + i).mul(alpha).intoArray(out, oOff + i);
        }
        scaleScalar(out, oOff + i, a, aOff + i, alpha, n - i);
    }

    private static void sqrtVector(float[] out, int oOff, float[] a, int aOff, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, aOff + i).lanewise(VectorOperators.SQRT).intoArray(out, oOff + i);
        }
        sqrtScalar(out, oOff + i, a, aOff + i, n - i);
    }
}
