// Every CUDA kernel entry point jlens launches, with the .cu file (and so the PTX resource) that defines it.
package dev.jlens.kernels.cuda;

/**
 * The kernels of kernels/src/main/cuda. Launchers name kernels only through this enum, and a test checks every
 * constant against the {@code .entry} names and parameter types of the PTX in the jar, so a renamed kernel or a
 * changed parameter list fails the build; each launch checks its arguments against the same parameter types.
 */
enum Kernel {
    COPY_STRIDED("elementwise", "copy_strided", "u64 b8[68] u64 b8[68] u64"),
    FILL_STRIDED("elementwise", "fill_strided", "u64 b8[68] f32 u64"),
    BINARY_STRIDED("elementwise", "binary_strided", "u64 u64 b8[68] u64 b8[68] u32 u64"),
    UNARY_STRIDED("elementwise", "unary_strided", "u64 u64 b8[68] u32 f32 u64"),
    REDUCE_ROWS("reduce", "reduce_rows", "u64 u64 u32 u32 u32"),
    SOFTMAX_ROWS("softmax", "softmax_rows", "u64 u64 u32 u32 u32"),
    LAYERNORM_ROWS("layernorm", "layernorm_rows", "u64 u64 u64 u64 u32 u32 f32"),
    CAUSAL_ATTENTION("attention", "causal_attention", "u64 u64 u64 u64 u64 u32 u32 u32 u32 u32 f32"),
    GATHER_ROWS("embedding", "gather_rows", "u64 u64 u64 u32 u32");

    private final String file;
    private final String entry;
    private final String params;

    Kernel(String file, String entry, String params) {
        this.file = file;
        this.entry = entry;
        this.params = params;
    }

    /** The .cu file without extension; its PTX is the resource {@code cuda/<file>.ptx}. */
    String file() {
        return file;
    }

    /** The extern "C" entry point name. */
    String entry() {
        return entry;
    }

    /**
     * The PTX parameter types in order (u64 for pointers and long long, u32 for int, f32 for float, b8[68] for a
     * Layout struct), as {@link Ptx#params} reads them; {@link KernelArgs#signature()} must match at every launch.
     */
    String params() {
        return params;
    }
}
