package io.caravan.wire;

import java.util.Arrays;

/**
 * The protobuf wire primitives the two sinks need (remote_write's WriteRequest, Loki's PushRequest and the
 * Loki spill records), written into one reusable growable array. Hand-written for the hot path: a generated
 * message would allocate an object per sample or entry before encoding it.
 */
public final class ProtoWriter {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LEN = 2;

    private byte[] buf;
    private int pos;

    public ProtoWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public void reset() {
        pos = 0;
    }

    public int size() {
        return pos;
    }

    /** Forgets what was written after size n. */
    public void truncate(int n) {
        if (n < 0 || n > pos) {
            throw new IllegalArgumentException("cannot truncate " + pos + " bytes to " + n);
        }
        pos = n;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    /** Bytes copied as they are (an already encoded message or a compressed block). */
    public void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    public void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    public void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    public void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    public void fixed32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    /** A string field: tag, length, UTF-8 bytes. */
    public void string(int field, String s) {
        tag(field, LEN);
        string(s, utf8Length(s));
    }

    /** Length and UTF-8 bytes of a string whose UTF-8 length is known, encoded in place. */
    public void string(String s, int utf8Len) {
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

    public static int utf8Length(String s) {
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

    /** A zigzag-encoded sint32 or sint64 field value (small negative numbers stay small). */
    public void sint(long v) {
        varint((v << 1) ^ (v >> 63));
    }

    public void doubleField(int field, double v) {
        tag(field, FIXED64);
        fixed64(Double.doubleToRawLongBits(v));
    }

    /**
     * Starts a length-delimited field whose size is not known yet: writes the tag, leaves room for a length, and
     * returns the mark to give {@link #endNested} once the body is written. For small, rare messages (a histogram,
     * an exemplar); a hot path computes sizes first instead.
     */
    public int beginNested(int field) {
        tag(field, LEN);
        ensure(5);
        pos += 5;
        return pos;
    }

    /** Writes the nested body's length before it, moving the body back over the room left unused. */
    public void endNested(int mark) {
        int bodyLen = pos - mark;
        int lenSize = varintSize(bodyLen);
        int start = mark - 5;
        System.arraycopy(buf, mark, buf, start + lenSize, bodyLen);
        int end = start + lenSize + bodyLen;
        pos = start;
        varint(bodyLen);
        pos = end;
    }

    public static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Bytes of a length-delimited field with a one-byte tag and a body of the given size. */
    public static int lenFieldSize(int bodySize) {
        return 1 + varintSize(bodySize) + bodySize;
    }

    /** Bytes of a string field with a one-byte tag. */
    public static int stringFieldSize(String s) {
        return lenFieldSize(utf8Length(s));
    }
}
