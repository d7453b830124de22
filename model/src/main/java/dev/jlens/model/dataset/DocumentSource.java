// Anything that can hand out a corpus's documents, in the same order each time: files, or a Spark column.
package dev.jlens.model.dataset;

/** A re-readable sequence of documents; jobs read it once to mine and once more to cut token windows. */
public interface DocumentSource {
    /** A fresh reader from the first document; close it. */
    DocumentReader open();

    /** What the documents are, for messages and job manifests (two different corpora must differ here). */
    String describe();
}
