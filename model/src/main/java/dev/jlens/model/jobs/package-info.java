/**
 * Corpus jobs of the local engine: top activations per feature (with statistics, JSONL and HTML dashboards),
 * activation export to sharded safetensors, and patching over a dataset of prompt pairs. Work is cut into shards
 * of contexts; a job folder's manifest records finished shards so a rerun resumes and gives exactly the output of an
 * uninterrupted run. Entry points: {@link dev.jlens.model.jobs.TopActivations},
 * {@link dev.jlens.model.jobs.ActivationExport}, {@link dev.jlens.model.jobs.DatasetPatching}. May import:
 * {@code dev.jlens.model} and its dataset, tokenizer, weights, patching, analysis and plot packages, hooks, tensor,
 * jackson-core, the JDK. Must not import the command line.
 */
package dev.jlens.model.jobs;
