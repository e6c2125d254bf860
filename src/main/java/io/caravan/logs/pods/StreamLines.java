package io.caravan.logs.pods;

import io.caravan.logs.Utf8;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines from a stream, each cut to a maximum length (the rest is read and dropped, so a line of several MB
 * costs no more memory than the maximum). Invalid UTF-8 becomes U+FFFD.
 */
final class StreamLines {

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[256];
    private int lineLen;
    private boolean lastCut;
    private boolean lastInvalid;
    private long bytesRead;

    StreamLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its newline, or null at the end of the stream (a last line without newline included). */
    String next() throws IOException {
        lineLen = 0;
        lastCut = false;
        while (true) {
            if (pos == end) {
                int n = in.read(buf);
                if (n < 0) {
                    return lineLen > 0 || lastCut ? finish() : null;
                }
                pos = 0;
                end = n;
                bytesRead += n;
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            keep(pos, stop - pos);
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                return finish();
            }
        }
    }

    private void keep(int from, int len) {
        int room = maxBytes - lineLen;
        int take = Math.min(room, len);
        if (take < len) {
            lastCut = true;
        }
        if (take > 0) {
            if (lineLen + take > line.length) {
                line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, lineLen + take), maxBytes));
            }
            System.arraycopy(buf, from, line, lineLen, take);
            lineLen += take;
        }
    }

    private String finish() {
        int len = lineLen;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (lastCut) {
            len = Utf8.completePrefix(line, 0, len); // whole characters only
        }
        lastInvalid = !Utf8.isValid(line, 0, len);
        return Utf8.decode(line, 0, len);
    }

    /** More bytes are at hand without blocking: the batch can wait for them. */
    boolean more() throws IOException {
        return pos < end || in.available() > 0;
    }

    boolean lastCut() {
        return lastCut;
    }

    boolean lastInvalid() {
        return lastInvalid;
    }

    long bytesRead() {
        return bytesRead;
    }
}
