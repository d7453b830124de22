// One blob of the hub cache: GET into blobs/{etag}.incomplete (resuming with Range), check size and sha256, then
// move it atomically to blobs/{etag}. Mirrors huggingface_hub's _download_to_tmp_and_move and http_get resume.
package dev.jlens.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Static steps of a blob download; errors are {@link HubException}s naming the URL and the partial file. */
final class BlobDownload {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private BlobDownload() {}

    /** Makes {@code blob} hold the file {@code meta} describes. */
    static void fetch(HubClient client, HubClient.FileMetadata meta, Path blob, HubClient.Target file,
            DownloadProgress progress) throws IOException {
        Files.createDirectories(blob.getParent());
        Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
        long offset = Files.exists(partial) ? Files.size(partial) : 0;
        if (meta.size() >= 0 && offset > meta.size()) {
            Files.delete(partial);
            offset = 0;
        }
        if (meta.size() < 0 || offset < meta.size() || !Files.exists(partial)) {
            transfer(client, meta, partial, offset, file, progress);
        }
        verify(meta, partial);
        try {
            Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, blob, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void transfer(HubClient client, HubClient.FileMetadata meta, Path partial, long offset,
            HubClient.Target file, DownloadProgress progress) throws IOException {
        HttpResponse<InputStream> r = client.get(meta.downloadUrl(), offset, file);
        if (r.statusCode() == 416) {
            r.body().close();
            Files.deleteIfExists(partial);
            if (offset == 0) {
                throw new HubException("416 Range Not Satisfiable for " + meta.downloadUrl() + " without a Range", 416,
                        null);
            }
            transfer(client, meta, partial, 0, file, progress);
            return;
        }
        boolean resumed = r.statusCode() == 206;
        String range = r.headers().firstValue("Content-Range").orElse("");
        if (resumed && !range.startsWith("bytes " + offset + "-")) {
            r.body().close();
            Files.deleteIfExists(partial);
            throw new HubException("206 for " + meta.downloadUrl() + " with Content-Range '" + range + "' where bytes "
                    + offset + "- were asked; deleted the partial download, run again", 206, null);
        }
        long start = resumed ? offset : 0;
        progress.start(file.file(), start, meta.size());
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            copy(in, out, progress, meta, partial, client.timeout());
        }
        progress.done();
    }

    private static void copy(InputStream in, OutputStream out, DownloadProgress progress, HubClient.FileMetadata meta,
            Path partial, Duration idle) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (StallGuard guard = new StallGuard(idle)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    out.flush();
                    progress.failed();
                    String why = guard.stalled() ? "no data for " + idle.toMillis() + " ms" : e.getMessage();
                    throw new HubException("network failure downloading " + meta.downloadUrl() + " after "
                            + Files.size(partial) + " of " + meta.size() + " bytes (" + why + "); the partial "
                            + "download is kept in " + partial + " and the next call resumes it", 0, e);
                }
                if (n < 0) {
                    return;
                }
                guard.progress();
                out.write(buf, 0, n);
                progress.advance(n);
            }
        }
    }

    private static void verify(HubClient.FileMetadata meta, Path partial) throws IOException {
        long got = Files.size(partial);
        if (meta.size() >= 0 && got < meta.size()) {
            throw new HubException("the download of " + meta.downloadUrl() + " ended after " + got + " of "
                    + meta.size() + " bytes; the partial download is kept in " + partial + " and the next call "
                    + "resumes it", 0, null);
        }
        if (meta.size() >= 0 && got > meta.size()) {
            Files.delete(partial);
            throw new HubException(meta.downloadUrl() + " sent " + got + " bytes where the hub announced "
                    + meta.size() + "; deleted the download, run again", 0, null);
        }
        if (SHA256.matcher(meta.etag()).matches()) {
            String actual = sha256(partial);
            if (!actual.equals(meta.etag())) {
                Files.delete(partial);
                throw new HubException("sha256 mismatch for " + meta.downloadUrl() + ": the hub's LFS etag is "
                        + meta.etag() + " but the download hashes to " + actual + "; deleted the download, run again",
                        0, null);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
