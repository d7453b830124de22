// Reductions along one dim of the Backend SPI.
package dev.jlens.tensor.backend;

/** Reduction along one dim. LOGSUMEXP is max + log(sum(exp(a - max))). */
public enum ReduceOp {
    /** sum(a). */
    SUM,
    /** sum(a) / n. */
    MEAN,
    /** max(a). */
    MAX,
    /** log(sum(exp(a))), computed as max + log(sum(exp(a - max))). */
    LOGSUMEXP
}
