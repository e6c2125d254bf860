package io.caravan.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A file a follower reads, at byte offsets of its content: a plain file, or a rotated copy that was compressed
 * ({@code .gz}), read decompressed so that offsets mean the same in the copy as in the original.
 */
public interface LogFile extends Closeable {

    /** Reads into {@code dst} from {@code position}; the number of bytes read, or -1 (or 0) at the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Its size now, or -1 when that is unknown without reading it all (compressed). */
    long size() throws IOException;

    /** Why the rest of it cannot be read (a damaged .gz), or null. Its end is then where the damage begins. */
    default String damage() {
        return null;
    }

    static LogFile open(Path path) throws IOException {
        return isCompressed(path) ? new GzipLogFile(path) : new PlainLogFile(path);
    }

    /** Rotations compress with gzip and name the result {@code *.gz} (logrotate, kube-apiserver, kubelet). */
    static boolean isCompressed(Path path) {
        return path.getFileName().toString().endsWith(".gz");
    }
}
