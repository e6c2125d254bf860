package io.caravan.logs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A compressed rotated copy, read forward from any offset of its content. The last decompressed chunk is kept,
 * because the follower reads again from the end of its last full line; reading earlier than that (after a route
 * failure) decompresses it again from its start. Only a copy being finished is read this way, once per rotation
 * the reader had not finished. A damaged stream (a cut or corrupt file) ends it there; {@link #damage()} says why.
 */
final class GzipLogFile implements LogFile {

    private static final int WINDOW = 64 * 1024;

    private final Path path;
    private GZIPInputStream in;
    private long pos; // content offset of the stream
    private byte[] window;
    private long windowStart;
    private int windowLen;
    private String damage;

    GzipLogFile(Path path) throws IOException {
        this.path = path;
        try {
            reopen(); // an unreadable file fails here, as a plain one does
        } catch (ZipException | EOFException e) {
            damage = describe(e);
        }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        try {
            if (position < windowStart || position >= windowStart + windowLen) {
                if (damage != null || !fill(position)) {
                    return -1;
                }
            }
            int off = (int) (position - windowStart);
            int n = Math.min(dst.remaining(), windowLen - off);
            dst.put(window, off, n);
            return n;
        } catch (ZipException | EOFException e) {
            damage = describe(e);
            return -1;
        }
    }

    /** Decompresses the chunk that starts at {@code position}; false at the end. */
    private boolean fill(long position) throws IOException {
        if (in == null || position < pos) {
            reopen();
        }
        while (pos < position) {
            long skipped = in.skip(position - pos);
            if (skipped <= 0) {
                return false;
            }
            pos += skipped;
        }
        if (window == null) {
            window = new byte[WINDOW];
        }
        int n = in.read(window, 0, WINDOW);
        windowStart = pos;
        windowLen = Math.max(n, 0);
        pos += windowLen;
        return n > 0;
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private void reopen() throws IOException {
        close();
        in = new GZIPInputStream(Files.newInputStream(path), 16 * 1024);
        pos = 0;
        windowLen = 0;
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public String damage() {
        return damage;
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
