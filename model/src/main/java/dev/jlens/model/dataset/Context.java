// One model input cut from a corpus: its stable index, ctx_len token ids, and how many of them are real.
package dev.jlens.model.dataset;

/**
 * Context {@code index} of a corpus: (index, position) addresses one token for good, whatever the batch or the
 * engine. Serializable, so an engine may ship contexts to other JVMs.
 *
 * @param index  the context's number, from 0, in corpus order
 * @param tokens [ctx_len] token ids, BOS first; padding after {@code length} in padded mode
 * @param length the real tokens (ctx_len when concatenated)
 */
public record Context(int index, int[] tokens, int length) implements java.io.Serializable {}
