// HTTP for the Hugging Face hub: HEAD a file's metadata, GET its bytes, redirects followed by hand. Mirrors
// huggingface_hub file_download.py: get_hf_file_metadata (HEAD, relative redirects only, X-Repo-Commit,
// X-Linked-Etag / ETag, X-Linked-Size / Content-Length) and http_get (GET from the redirect target, Range resume).
package dev.jlens.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * One hub endpoint and token; errors become one-line {@link HubException}s naming the repo, the host and the URL,
 * the revision for a 404 of it, and HF_TOKEN for 401/403. A request that gets no response is
 * {@link HubException#unreachable()}.
 */
final class HubClient {
    private static final int MAX_REDIRECTS = 10;

    /** What a HEAD on {@code resolve/{revision}/{file}} says about a file. */
    record FileMetadata(String commit, String etag, long size, URI downloadUrl) {}

    /** What a request is for, as the user asked for it (the revision before it is pinned to a commit). */
    record Target(String repo, String revision, String file) {}

    private final HttpClient http;
    private final URI endpoint;
    private final String token; // null when HF_TOKEN is not set
    private final Duration timeout;

    HubClient(HttpClient http, URI endpoint, String token, Duration timeout) {
        this.http = http;
        this.endpoint = endpoint;
        this.token = token;
        this.timeout = timeout;
    }

    /** The per-request timeout, also the longest a download may go without receiving a byte. */
    Duration timeout() {
        return timeout;
    }

    /** {@code {endpoint}/{repo}/resolve/{revision}/{file}}, the revision quoted whole, the file path by segment. */
    URI resolveUrl(String repoId, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String seg : file.split("/")) {
            path.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + repoId + "/resolve/"
                + URLEncoder.encode(revision, StandardCharsets.UTF_8) + path);
    }

    /** HEAD {@code url}, following relative redirects (renamed repos); stops at the hub's redirect to the CDN. */
    FileMetadata head(URI url, Target what) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(current).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding(), current);
            String location = r.headers().firstValue("Location").orElse(null);
            boolean redirect = r.statusCode() / 100 == 3 && location != null;
            if (redirect && URI.create(location).getHost() == null) {
                current = current.resolve(location);
                continue;
            }
            if (!redirect && r.statusCode() / 100 != 2) {
                throw error(r.statusCode(), r.headers().firstValue("X-Error-Code").orElse(""), current, what);
            }
            String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
            String etag = r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag")).orElse(null);
            if (commit == null || etag == null) {
                throw new HubException("HEAD " + current + " answered without X-Repo-Commit or ETag; is HF_ENDPOINT "
                        + endpoint + " a Hugging Face hub?", r.statusCode(), null);
            }
            long size = r.headers().firstValueAsLong("X-Linked-Size")
                    .orElse(redirect ? -1 : r.headers().firstValueAsLong("Content-Length").orElse(-1));
            return new FileMetadata(commit, normalizeEtag(etag), size, redirect ? current.resolve(location) : current);
        }
        throw new HubException("HEAD " + url + ": more than " + MAX_REDIRECTS + " redirects", 0, null);
    }

    /**
     * GET {@code url} from byte {@code offset} (a Range request when positive), following redirects; the token is
     * sent only to the endpoint's host. The caller reads and closes the body.
     */
    HttpResponse<InputStream> get(URI url, long offset, Target what) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(current).GET();
            if (offset > 0) {
                b.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> r = send(b, HttpResponse.BodyHandlers.ofInputStream(), current);
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() / 100 == 3 && location != null) {
                close(r.body());
                current = current.resolve(location);
                continue;
            }
            if (r.statusCode() != 200 && r.statusCode() != 206 && r.statusCode() != 416) {
                close(r.body());
                throw error(r.statusCode(), r.headers().firstValue("X-Error-Code").orElse(""), current, what);
            }
            return r;
        }
        throw new HubException("GET " + url + ": more than " + MAX_REDIRECTS + " redirects", 0, null);
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "jlens/0.1")
                .header("Accept-Encoding", "identity");
        if (token != null && Objects.equals(url.getHost(), endpoint.getHost())) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler, URI url) {
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            throw HubException.unreachable("no response from " + url.getAuthority() + " for " + url + ": "
                    + why(e, url), url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while requesting " + url, 0, e);
        }
    }

    private HubException error(int status, String errorCode, URI url, Target what) {
        String host = url.getAuthority();
        String repo = what.repo();
        String msg = switch (status) {
            case 401 -> token == null
                    ? repo + " is gated or private (or does not exist): " + host + " answered 401 Unauthorized for "
                            + url + "; set HF_TOKEN to a token that can read it"
                    : "HF_TOKEN was sent to " + host + " but rejected (401 Unauthorized for " + url + "); check "
                            + "that it is valid and can read " + repo;
            case 403 -> repo + " is gated or private: " + host + " answered 403 Forbidden for " + url + "; "
                    + (token == null ? "set HF_TOKEN to a token with access to it" : "the HF_TOKEN sent has no "
                            + "access to it") + " (gated repos also need their terms accepted on the hub)";
            case 404 -> switch (errorCode) {
                case "RepoNotFound" -> "repo " + repo + " not found on " + host + " (404 for " + url + "); check the "
                        + "repo id";
                case "RevisionNotFound" -> "revision '" + what.revision() + "' of " + repo + " not found on " + host
                        + " (404 for " + url + "); check the branch, tag or commit";
                case "EntryNotFound" -> what.file() + " not found in " + repo + " at revision '" + what.revision()
                        + "' on " + host + " (404 for " + url + ")";
                default -> "repo " + repo + ", revision '" + what.revision() + "' or its " + what.file()
                        + " not found on " + host + " (404 for " + url + ")";
            };
            default -> "HTTP " + status + " from " + host + " for " + repo + " (" + url + ")"
                    + (status >= 500 ? "; the hub may be down: retry later, or set HF_ENDPOINT to a mirror" : "");
        };
        return new HubException(msg, status, null);
    }

    /** The cause of a request without response in a few words: refused, unknown host, timed out, or the JDK's text. */
    private String why(IOException e, URI url) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + url.getHost() + " (no DNS: no network?)";
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s"
                    : timeout.toMillis() + " ms");
        }
        String detail = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            detail = t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage() : detail;
        }
        if (e instanceof ConnectException) {
            return detail == null ? "connection refused" : detail;
        }
        return e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail);
    }

    /** An ETag without W/ and quotes: for LFS files the sha256 of the content, otherwise the git blob sha1. */
    static String normalizeEtag(String etag) {
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.replace("\"", "");
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the body of a redirect or an error is not needed
        }
    }
}
