/**
 * Corpus input for dataset jobs: documents from a text file (one per line), a folder (one per file) or JSONL (a
 * named field), tokenized into contexts as TransformerLens' {@code tokenize_and_concatenate} (made exact) or one
 * padded context per document. Entry points: {@link dev.jlens.model.dataset.Corpus} and
 * {@link dev.jlens.model.dataset.ContextStream}. May import: {@code dev.jlens.model.tokenizer},
 * {@code dev.jlens.model.progress}, jackson-core, the JDK.
 */
package dev.jlens.model.dataset;
