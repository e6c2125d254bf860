package io.caravan.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a directory, so a file created or renamed in it survives a power loss too. */
public final class DirectorySync {

    private DirectorySync() {
    }

    /** Best effort: some file systems cannot open or fsync a directory; the files' own data is synced anyway. */
    public static void sync(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // nothing more durable to be had on this file system
        }
    }
}
