package io.caravan.logs.pods;

import io.caravan.logs.FollowedPath;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The log a container writes now: the kubelet names it {@code <restartCount>.log}, so the highest number is the
 * current instance. Rotated logs ({@code 0.log.20240101-000000}, {@code .gz}) are not candidates: the follower
 * keeps reading a rotated file it has open, and finds one it had not finished among the default rotated names.
 */
final class ContainerLogDir implements FollowedPath {

    private final Path dir;

    ContainerLogDir(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path current() throws IOException {
        long best = -1;
        Path bestPath = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.log")) {
            for (Path p : files) {
                long n = restartCount(p.getFileName().toString());
                if (n > best) {
                    best = n;
                    bestPath = p;
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null; // not created yet, or gone with its pod
        }
        return bestPath;
    }

    @Override
    public boolean finishesNewer() {
        return true;
    }

    static long restartCount(String fileName) {
        int dot = fileName.length() - 4;
        if (dot <= 0 || dot > 18) {
            return -1;
        }
        for (int i = 0; i < dot; i++) {
            if (!Character.isDigit(fileName.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(fileName.substring(0, dot));
    }
}
