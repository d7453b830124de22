/**
 * Byte-level BPE tokenizers: GPT-2's, loaded from Hugging Face files ({@code vocab.json} + {@code merges.txt}) or
 * built in (derived from OpenAI's r50k_base ranks), and any {@code tokenizer.json} of the byte-level BPE family with
 * its pipeline (normalizer, ByteLevel / Split / Digits pre-tokenizers, added-token flags, BOS/EOS templates, the
 * ByteLevel decoder); merges by rank; and TransformerLens' helpers ({@code to_tokens}, {@code to_str_tokens},
 * {@code to_string}, {@code to_single_token}) on {@link dev.jlens.model.tokenizer.Gpt2Tokenizer}. Components
 * outside that family (Unigram, WordPiece, byte fallback, Metaspace...) are refused by their JSON path.
 * May import: the JDK and Jackson's streaming {@code com.fasterxml.jackson.core}. jtokkit is a runtime dependency
 * whose {@code r50k_base.tiktoken} resource is read as data; its classes may be imported by tests only.
 */
package dev.jlens.model.tokenizer;
