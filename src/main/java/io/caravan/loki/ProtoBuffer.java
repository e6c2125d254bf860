package io.caravan.loki;

import java.util.Arrays;

/**
 * The protobuf wire primitives a PushRequest needs, written into one reusable growable array (the same
 * idea as remotewrite's ProtoWriter, kept separate so the two sinks do not reach into each other).
 * Hand-written for the hot path: a generated message would allocate an object per entry before encoding.
 * Also used for the spill records, which want the same varint-and-string primitives.
 */
final class ProtoBuffer {

    static final int VARINT = 0;
    static final int LEN = 2;

    private byte[] buf;
    private int pos;

    ProtoBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    void reset() {
        pos = 0;
    }

    int size() {
        return pos;
    }

    byte[] array() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    void fixed32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    /** A string field: tag, length, UTF-8 bytes. */
    void string(int field, String s) {
        tag(field, LEN);
        string(s, utf8Length(s));
    }

    /** Length and UTF-8 bytes of a string whose UTF-8 length is known, encoded in place. */
    void string(String s, int utf8Len) {
        varint(utf8Len);
        ensure(utf8Len);
        byte[] b = buf;
        int p = pos;
        int n = s.length();
        int i = 0;
        for (; i < n; i++) { // ASCII run first: most log lines are ASCII
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            b[p++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '?'; // a lone surrogate has no UTF-8 form; String.getBytes does the same
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        pos = p;
    }

    static int utf8Length(String s) {
        int n = s.length();
        int len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2;
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    len += 2;
                }
            }
        }
        return len;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Bytes of a length-delimited field with a one-byte tag and a body of the given size. */
    static int lenFieldSize(int bodySize) {
        return 1 + varintSize(bodySize) + bodySize;
    }
}
