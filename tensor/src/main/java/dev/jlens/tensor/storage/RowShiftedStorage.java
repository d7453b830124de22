// Rows of another storage, each shifted by its own constant: element [r, j] = float(base[r, j] - shifts[r]).
package dev.jlens.tensor.storage;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Device;

/**
 * A read-only [rows, rowLength] float32 storage computed on read from {@code base} (row-major, from element 0): element
 * [r, j] is {@code (float) ((double) base[r, j] - shifts[r])}. A row-centred embedding table (TL's
 * center_writing_weights on W_E) kept this way reads its rows from the checkpoint's mapping, so only the rows a run
 * gathers become resident, with the bits of a centred copy.
 */
public final class RowShiftedStorage implements Storage {
    private final Storage base;
    private final int rowLength;
    private final double[] shifts;

    /**
     * Rows of {@code base}, row r read minus {@code shifts[r]}.
     *
     * @param base      shifts.length * rowLength elements, row-major
     * @param rowLength elements per row (at least 1)
     * @param shifts    what each row loses (not copied: the caller hands it over)
     */
    public RowShiftedStorage(Storage base, int rowLength, double[] shifts) {
        if (rowLength < 1 || base.size() != (long) shifts.length * rowLength) {
            throw new IllegalArgumentException("RowShiftedStorage: a base of " + base.size() + " elements is not "
                    + shifts.length + " rows of " + rowLength);
        }
        this.base = base;
        this.rowLength = rowLength;
        this.shifts = shifts;
    }

    /** The unshifted rows. */
    public Storage base() {
        return base;
    }

    /** Elements per row. */
    public int rowLength() {
        return rowLength;
    }

    /** The shift of row {@code r}. */
    public double shift(int r) {
        return shifts[r];
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public Device device() {
        return base.device();
    }

    @Override
    public float get(long index) {
        return (float) (base.get(index) - shifts[(int) (index / rowLength)]);
    }

    @Override
    public void set(long index, float value) {
        throw new UnsupportedOperationException("a row-shifted storage (e.g. a centred W_E read from its checkpoint) "
                + "is read-only; copy the tensor first");
    }
}
