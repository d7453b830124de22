/**
 * The hooked GPT-2: {@link dev.jlens.model.HookedGpt2} with forward, run_with_hooks and run_with_cache, its run
 * options and outputs, its assembly from weights, the next-token loss, and generate (sampling, the per-run KV
 * cache). May import: {@code dev.jlens.model.config}, {@code .weights}, {@code .tokenizer}, {@code .components},
 * hooks, tensor, the JDK.
 */
package dev.jlens.model;
