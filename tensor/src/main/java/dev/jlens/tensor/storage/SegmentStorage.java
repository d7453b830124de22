// Off-heap or memory-mapped storage of F32, F16 or BF16 elements (little-endian, as safetensors writes them).
package dev.jlens.tensor.storage;

import dev.jlens.tensor.DType;
import dev.jlens.tensor.Device;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A {@link MemorySegment} read as elements of one {@link DType}; a 6 GB memory-mapped checkpoint stays
 * off the heap. F32 segments are writable when the segment is; F16 and BF16 are read-only.
 */
public final class SegmentStorage implements Storage {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final DType dtype;
    private final long size;
    private final FileRegion region; // where a mapped segment's bytes lie in their file; null when unknown

    /**
     * Elements of {@code dtype} read from {@code segment}, little-endian.
     *
     * @param segment bytes of the elements, exactly {@code size * dtype.byteSize()} long
     * @param dtype   element type of the bytes
     */
    public SegmentStorage(MemorySegment segment, DType dtype) {
        this(segment, dtype, null);
    }

    /**
     * As {@link #SegmentStorage(MemorySegment, DType)}, for a segment mapped from {@code region} of a file.
     *
     * @param region where the segment's first byte lies in its file, or null
     */
    public SegmentStorage(MemorySegment segment, DType dtype, FileRegion region) {
        if (segment.byteSize() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + dtype + " elements (" + dtype.byteSize() + " bytes each)");
        }
        this.segment = segment;
        this.dtype = dtype;
        this.size = segment.byteSize() / dtype.byteSize();
        this.region = region;
    }

    /** Where a mapped segment's first byte lies in its file, or null when not known (or not a mapping). */
    public FileRegion region() {
        return region;
    }

    /** The underlying segment. */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public float get(long index) {
        return switch (dtype) {
            case F32 -> segment.getAtIndex(F32, index);
            case F16, BF16 -> dtype.toFloat(segment.getAtIndex(HALF, index) & 0xFFFF);
        };
    }

    @Override
    public void set(long index, float value) {
        if (dtype != DType.F32) {
            throw new UnsupportedOperationException(dtype + " storage is read-only; copy the tensor to float32 first");
        }
        segment.setAtIndex(F32, index, value);
    }
}
