// Elementwise unary ops of the Backend SPI.
package dev.jlens.tensor.backend;

/**
 * Elementwise unary op. GELU_NEW is GPT-2's tanh approximation:
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 */
public enum UnaryOp {
    /** exp(x). */
    EXP,
    /** log(x), the natural logarithm. */
    LOG,
    /** tanh(x). */
    TANH,
    /** sqrt(x). */
    SQRT,
    /** GPT-2's gelu_new (above). */
    GELU_NEW
}
