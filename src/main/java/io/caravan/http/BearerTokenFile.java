package io.caravan.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * An Authorization header value read from a token file, re-read when the file changes: Kubernetes
 * projected service-account tokens rotate under a running pod. The token itself is never logged;
 * {@link #toString()} shows only the path.
 */
public final class BearerTokenFile implements Supplier<String> {

    private final Path path;
    private volatile FileTime readAt;
    private volatile String header;

    public BearerTokenFile(Path path) {
        this.path = path;
    }

    /** "Bearer &lt;token&gt;"; UncheckedIOException naming the file when it cannot be read. */
    @Override
    public String get() {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (header == null || !modified.equals(readAt)) {
                String token = Files.readString(path, StandardCharsets.UTF_8).strip();
                header = "Bearer " + token;
                readAt = modified;
            }
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bearer token file " + path
                    + " (is the service-account token mounted?): " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokenFile[" + path + "]";
    }
}
