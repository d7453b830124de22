/**
 * Reverse-mode gradients: a {@link dev.jlens.tensor.autograd.Tape} records, for one run on one thread, every
 * backend op whose inputs depend on a marked activation, and replays them backwards into per-storage gradient
 * buffers. May import: {@code dev.jlens.tensor}, {@code dev.jlens.tensor.backend}, {@code dev.jlens.tensor.storage},
 * the JDK.
 */
package dev.jlens.tensor.autograd;
