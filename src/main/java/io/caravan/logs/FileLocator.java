package io.caravan.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Finds where the content a follower was reading is now. The file itself is found by its inode (at its path, or
 * renamed in the same directory), its first bytes ruling out an inode reused by another file; a copy (the
 * copy of copy-truncate, or a rotation compressed since) is found among the rotated names by its first bytes.
 * Runs only when a follower starts from a stored position or its file shrank, never per poll.
 */
final class FileLocator {

    /** Where the content is: the file itself, or a copy of it (complete: it is read to its end, then left). */
    record Found(Path path, boolean copy) {
    }

    private FileLocator() {
    }

    /**
     * The file holding a stored position, or null when it is nowhere.
     *
     * @param print   the stored fingerprint; null for a position stored before fingerprints (known by inode only)
     * @param current the path the follower reads now, whose rotated names are searched too (a container's newest
     *                log, or a tail path while the stored file is one of its copies); may be null
     */
    static Found find(Path storedFile, String fileKey, Fingerprint print, long offset, RotatedNames names, Path current)
            throws IOException {
        if (fileKey != null) {
            if (isFile(storedFile, fileKey, print, offset)) {
                return new Found(storedFile, false);
            }
            Path renamed = withKey(storedFile.getParent(), fileKey, print, offset);
            if (renamed != null) {
                return new Found(renamed, false);
            }
        }
        if (print == null || print.length() == 0) {
            return null; // no bytes to recognise a copy by
        }
        Set<Path> candidates = new LinkedHashSet<>(names.of(storedFile));
        if (current != null) {
            candidates.addAll(names.of(current));
        }
        for (Path p : candidates) {
            if (print.matches(p)) {
                return new Found(p, true);
            }
        }
        return null;
    }

    /** A rotated copy of {@code live} (which shrank) that starts with the bytes read from it, or null. */
    static Path findCopy(Path live, Fingerprint print, RotatedNames names) throws IOException {
        if (print.length() == 0) {
            return null;
        }
        for (Path p : names.of(live)) {
            if (print.matches(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether {@code p} is the file with inode {@code fileKey} (whatever its content now). */
    static boolean hasKey(Path p, String fileKey) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return fileKey != null && a.isRegularFile() && fileKey.equals(FileFollower.fileKey(a));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isFile(Path p, String fileKey, Fingerprint print, long offset) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        return a.isRegularFile() && Objects.equals(fileKey, FileFollower.fileKey(a)) && a.size() >= offset
                && (print == null || print.matches(p));
    }

    private static Path withKey(Path dir, String fileKey, Fingerprint print, long offset) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir)) {
            for (Path p : siblings) {
                try {
                    if (isFile(p, fileKey, print, offset)) {
                        return p;
                    }
                } catch (IOException ignored) {
                    // vanished or unreadable: not ours
                }
            }
        }
        return null;
    }
}
