// The error for a torch.save file that cannot be read safely: the message names the file, the entry or key, the offset.
package dev.jlens.model.weights.torch;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint that is malformed, truncated, or asks for something the whitelist refuses (a global outside
 * it, a storage outside its entry, an absurd shape). An {@link IllegalArgumentException}, so callers that validate
 * input catch one type; the message always starts with the file.
 */
public final class TorchFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error in {@code file}; {@code detail} names the problem and the byte offset, entry or key. */
    public TorchFormatException(Path file, String detail) {
        super(file + ": " + detail);
    }
}
