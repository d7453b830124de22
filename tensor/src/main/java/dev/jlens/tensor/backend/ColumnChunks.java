// A weight made a few columns at a time, for a backend to prepare without the whole matrix existing elsewhere.
package dev.jlens.tensor.backend;

import dev.jlens.tensor.Tensor;

/** Columns of a [K, N] weight on demand: see {@link Backend#prepareWeight(int, int, ColumnChunks)}. */
@FunctionalInterface
public interface ColumnChunks {
    /**
     * Columns [from, from + count) as a [K, count] tensor, any strides; it may reuse the previous call's memory, so
     * the caller is done with one chunk before asking for the next.
     */
    Tensor columns(int from, int count);
}
