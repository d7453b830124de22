// The error for a failed hub request: one line naming the repo, the host and what to do (fill the cache, set
// HF_ENDPOINT or HF_TOKEN, check the id or revision, rerun).
package dev.jlens.model.weights;

import java.net.URI;

/**
 * A Hugging Face hub download that failed: an HTTP error ({@link #status} 401, 403, 404, ...), a request that got no
 * response at all ({@link #unreachable()}: connection refused, unknown host, timeout; {@link #status} 0), or a
 * download that broke off or whose sha256 did not match the hub's LFS etag ({@link #status} 0). The message is
 * always one line, so a command line can print it as is.
 */
public final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status, 0 when there was no response. */
    private final int status;
    /** The URL that got no response, null for every other failure. */
    private final URI unreachableUrl;

    /** A failure with HTTP {@code status} (0 when there was no response). */
    public HubException(String message, int status, Throwable cause) {
        this(message, status, null, cause);
    }

    private HubException(String message, int status, URI unreachableUrl, Throwable cause) {
        super(oneLine(message), cause);
        this.status = status;
        this.unreachableUrl = unreachableUrl;
    }

    /** A request to {@code url} that got no HTTP response (refused, unknown host, timed out). */
    static HubException unreachable(String message, URI url, Throwable cause) {
        return new HubException(message, 0, url, cause);
    }

    /** The same failure with a message that says more (the repo, the cache folder, what to do); this is its cause. */
    HubException withMessage(String message) {
        return new HubException(message, status, unreachableUrl, this);
    }

    /** The HTTP status, or 0 for network and verification failures. */
    public int status() {
        return status;
    }

    /** True when the request got no response at all: no network, connection refused, unknown host, timeout. */
    public boolean unreachable() {
        return unreachableUrl != null;
    }

    /** The URL that got no response, or null when {@link #unreachable()} is false. */
    public URI unreachableUrl() {
        return unreachableUrl;
    }

    private static String oneLine(String message) {
        return message == null ? null : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
