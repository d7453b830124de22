/**
 * The hooked GPT-2: {@link dev.jlens.model.HookedGpt2} with forward, run_with_hooks and run_with_cache, its run
 * options and outputs, its assembly from weights, the next-token loss, generate (sampling, the per-run KV
 * cache), and gradient runs ({@link dev.jlens.model.GradientRun}: a metric of the logits differentiated back to
 * every hook point, backward hooks, run_with_cache(incl_bwd)). May import: {@code dev.jlens.model.config},
 * {@code .weights}, {@code .tokenizer}, {@code .components}, hooks, tensor, the JDK.
 */
package dev.jlens.model;
