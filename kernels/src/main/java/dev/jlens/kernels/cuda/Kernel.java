// Every CUDA kernel entry point jlens launches, with the .cu file (and so the PTX resource) that defines it.
package dev.jlens.kernels.cuda;

/**
 * The kernels of kernels/src/main/cuda. Launchers name kernels only through this enum, and a test checks every
 * constant against the {@code .entry} names of the PTX in the jar, so a renamed kernel fails the build.
 */
enum Kernel {
    COPY_STRIDED("elementwise", "copy_strided"),
    FILL_STRIDED("elementwise", "fill_strided"),
    BINARY_STRIDED("elementwise", "binary_strided"),
    UNARY_STRIDED("elementwise", "unary_strided"),
    REDUCE_ROWS("reduce", "reduce_rows"),
    SOFTMAX_ROWS("softmax", "softmax_rows"),
    LAYERNORM_ROWS("layernorm", "layernorm_rows"),
    CAUSAL_ATTENTION("attention", "causal_attention"),
    GATHER_ROWS("embedding", "gather_rows");

    private final String file;
    private final String entry;

    Kernel(String file, String entry) {
        this.file = file;
        this.entry = entry;
    }

    /** The .cu file without extension; its PTX is the resource {@code cuda/<file>.ptx}. */
    String file() {
        return file;
    }

    /** The extern "C" entry point name. */
    String entry() {
        return entry;
    }
}
