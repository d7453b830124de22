// Elementwise binary ops of the Backend SPI.
package dev.jlens.tensor.backend;

/** Elementwise binary op: out = a (op) b. */
public enum BinaryOp {
    /** a + b. */
    ADD,
    /** a - b. */
    SUB,
    /** a * b. */
    MUL,
    /** a / b. */
    DIV;

    /** The op on one pair, in float (the reference semantics every backend matches). */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
