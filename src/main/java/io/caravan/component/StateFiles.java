package io.caravan.component;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small state files under the data directory (cursors, last known targets, credentials), replaced whole: written to a
 * temporary file beside them, synced, and moved over the old one, so a crash leaves the old content or the new, never
 * half of either.
 */
public final class StateFiles {

    private StateFiles() {
    }

    /** Replaces file with content; {@code ownerOnly}: readable by the agent alone (labels with annotations, tokens). */
    public static void replace(Path file, byte[] content, boolean ownerOnly) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        // a stream, not a FileChannel: an interrupt (a consumer stopped mid-write) must not close it and leave the tmp
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write(content);
            out.getFD().sync();
        }
        if (ownerOnly) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // no POSIX permissions on this file system: the data directory's own protection applies
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
