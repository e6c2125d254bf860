package io.caravan.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A file's identity by content: the length and CRC32C of its first bytes, at most {@value #MAX_BYTES}. Inodes are
 * reused once a file is deleted, and they do not follow content into a copy (copy-truncate) or a compressed
 * rotation; the first bytes do. The inode stays a hint: it finds a renamed file without reading anything.
 *
 * <p>Why 1 KiB: the first ~75 bytes of every kube-apiserver audit event are the same ({@code {"kind":"Event",
 * "apiVersion":...,"auditID":}), so the prefix must reach into the first event; CRI lines differ from their
 * first bytes (a nanosecond timestamp). A file shorter than that is known by what it has, so a short pod log is
 * read at once (Vector's checksum fingerprint waits for a file's first complete line; Promtail and Alloy know
 * files by path and inode only).
 * The fingerprint grows with the bytes read until it is 1 KiB long, and it always covers at least the bytes up
 * to the stored offset, so whatever matches it holds exactly the bytes that were read. CRC32C: it extends as
 * bytes are read (no copy of them is kept) and is compared only with a file's few rotated siblings, so 32 bits
 * are plenty.
 */
public record Fingerprint(int length, long crc) {

    public static final int MAX_BYTES = 1024;

    /** "length:crc", as stored in a position. */
    public String encode() {
        return length + ":" + Long.toHexString(crc);
    }

    /** The stored form, or null for none or a damaged one (the follower then knows the file by its inode only). */
    public static Fingerprint decode(String s) {
        if (s == null) {
            return null;
        }
        int colon = s.indexOf(':');
        try {
            int len = Integer.parseInt(s.substring(0, colon));
            long crc = Long.parseLong(s.substring(colon + 1), 16);
            return len >= 0 && len <= MAX_BYTES ? new Fingerprint(len, crc) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the file starts with these bytes ({@code .gz} files decompressed); false when it cannot be read. */
    public boolean matches(Path candidate) {
        try (LogFile f = LogFile.open(candidate)) {
            Builder b = new Builder();
            b.readFrom(f, length);
            return b.length == length && b.crc.getValue() == crc;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The fingerprint of the file being read, extended by the bytes the reader reads anyway. */
    public static final class Builder {
        private final CRC32C crc = new CRC32C();
        private int length;
        private Fingerprint value;

        /** Takes in the first {@code min(upTo, MAX_BYTES)} bytes of {@code file} (once, when it is opened away from 0). */
        void readFrom(LogFile file, long upTo) throws IOException {
            int want = (int) Math.min(upTo, MAX_BYTES);
            if (want <= length) {
                return;
            }
            ByteBuffer buf = ByteBuffer.allocate(want - length);
            while (buf.hasRemaining()) {
                int n = file.read(buf, length + buf.position());
                if (n <= 0) {
                    break;
                }
            }
            add(buf.array(), 0, buf.position(), length);
        }

        /** Bytes read at {@code pos}: those that extend the prefix are added (a re-read after a rollback is not). */
        public void add(byte[] a, int off, int n, long pos) {
            if (length >= MAX_BYTES || pos > length || pos + n <= length) {
                return;
            }
            int skip = (int) (length - pos);
            int take = Math.min(n - skip, MAX_BYTES - length);
            crc.update(a, off + skip, take);
            length += take;
            value = null;
        }

        public int length() {
            return length;
        }

        public Fingerprint value() {
            Fingerprint v = value;
            if (v == null) {
                v = new Fingerprint(length, crc.getValue());
                value = v;
            }
            return v;
        }
    }
}
