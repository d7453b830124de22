// Embedding lookup (TL components/embed.py Embed: W_E[tokens]; llm.c encoder_forward without the position add):
//   out[i, :] = table[rows[i], :]      table [V, D], rows [N] token ids, out [N, D]
//   shifted:  out[i, :] = float(out[i, :] - shift[rows[i]])   a row-centred W_E: RowShiftedStorage's arithmetic
// Outputs: out (first argument). The position add (TL PosEmbed + residual) is Elementwise.add.
// A copy with at most one subtraction, hence no vector loop and no scalar twin: System.arraycopy is already the
// fastest copy the JVM has. The caller validates ids (Tensor does, naming the id and the vocab size).
package dev.jlens.kernels.cpu;

import dev.jlens.tensor.storage.RowShiftedStorage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Row gathers from a contiguous [V, D] table, parallel over rows for large outputs. */
public final class Embedding {
    private Embedding() {}

    /** out[i,:] = table[rows[i],:] for i &lt; rows.length, each row of {@code d} floats. */
    public static void gatherRows(float[] out, int oOff, float[] table, int tOff, int[] rows, int d) {
        Chunks.rows(rows.length, d, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(table, tOff + rows[i] * d, out, oOff + i * d, d);
            }
        });
    }

    /** The same from a table of F32 elements in a segment (off-heap weights), row 0 at float index {@code tOff}. */
    public static void gatherRows(float[] out, int oOff, MemorySegment table, long tOff, int[] rows, int d) {
        Chunks.rows(rows.length, d, (from, to) -> {
            for (int i = from; i < to; i++) {
                MemorySegment.copy(table, ValueLayout.JAVA_FLOAT_UNALIGNED, (tOff + (long) rows[i] * d) * Float.BYTES,
                        out, oOff + i * d, d);
            }
        });
    }

    /** rows[i, j] = float(rows[i, j] - table.shift(ids[i])) in place: rows gathered from a row-shifted table's base. */
    public static void shiftRows(float[] rows, RowShiftedStorage table, int[] ids) {
        int d = table.rowLength();
        for (int i = 0; i < ids.length; i++) {
            double shift = table.shift(ids[i]);
            for (int j = i * d; j < (i + 1) * d; j++) {
                rows[j] = (float) (rows[j] - shift);
            }
        }
    }
}
