// One recorded entry of a Tape, replayed backwards.
package dev.jlens.tensor.autograd;

/** The backward of one recorded op, write or mark: moves gradient between buffers in {@code grads}. */
@FunctionalInterface
interface Step {
    /** Propagates gradient from this entry's output to its inputs. */
    void run(Grads grads);
}
