/**
 * Activation patching, TransformerLens' {@code patching} module: run the corrupted input, replace one activation
 * (a layer, position and/or head) with its value from the clean run, and score the logits with a metric. Every
 * sweep has a naive loop (one full hooked forward per patch, the reference) and an exact fast loop (resume at the
 * patched layer from cached corrupted activations, recompute only positions from the patched one, unembed only
 * where the metric reads, many patches per batched pass). Entry point: {@link dev.jlens.model.patching.Patching};
 * {@link dev.jlens.model.patching.AttributionPatching} estimates the same sweeps to first order from one backward.
 * May import: {@code dev.jlens.model} (HookedGpt2, its run options and outputs), {@code dev.jlens.model.config},
 * hooks, tensor, the JDK. Must not import the analysis package or the command line.
 */
package dev.jlens.model.patching;
