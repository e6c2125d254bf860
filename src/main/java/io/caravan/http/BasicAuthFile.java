package io.caravan.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.function.Supplier;

/** A Basic Authorization header from a user name and a password file, re-read when the file changes. Never logged. */
public final class BasicAuthFile implements Supplier<String> {

    private final String user;
    private final Path passwordFile;
    private volatile FileTime readAt;
    private volatile String header;

    public BasicAuthFile(String user, Path passwordFile) {
        this.user = user;
        this.passwordFile = passwordFile;
    }

    @Override
    public String get() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwordFile);
            if (header == null || !modified.equals(readAt)) {
                String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
                header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                readAt = modified;
            }
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read basic auth password file " + passwordFile + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "BasicAuthFile[" + user + ", " + passwordFile + "]";
    }
}
