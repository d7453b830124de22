// The storage types a whitelisted state dict may name (torch.FloatStorage, ...), with their element sizes.
package dev.jlens.model.weights.torch;

import dev.jlens.tensor.DType;

/** A torch storage type: its element size and the engine dtype it reads as (null: not a float, kept as a name). */
enum TorchDType {
    /** torch.float32. */
    FLOAT("FloatStorage", 4, DType.F32),
    /** torch.float16, widened to float32 on read. */
    HALF("HalfStorage", 2, DType.F16),
    /** torch.bfloat16, widened to float32 on read. */
    BFLOAT16("BFloat16Storage", 2, DType.BF16),
    /** torch.int64 (e.g. position-id buffers). */
    LONG("LongStorage", 8, null),
    /** torch.bool (e.g. TransformerLens' causal mask buffer). */
    BOOL("BoolStorage", 1, null),
    /** torch.uint8 (older causal mask buffers). */
    BYTE("ByteStorage", 1, null);

    private final String storageName;
    private final int byteSize;
    private final DType dtype;

    TorchDType(String storageName, int byteSize, DType dtype) {
        this.storageName = storageName;
        this.byteSize = byteSize;
        this.dtype = dtype;
    }

    /** The torch global that names it, e.g. "FloatStorage". */
    String storageName() {
        return storageName;
    }

    /** Bytes per element. */
    int byteSize() {
        return byteSize;
    }

    /** The engine dtype, or null when the engine has none (integers, bools). */
    DType dtype() {
        return dtype;
    }

    /** The type whose global is torch.{@code name}, or null. */
    static TorchDType ofStorage(String name) {
        for (TorchDType t : values()) {
            if (t.storageName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
