package io.caravan.wire;

/**
 * A protobuf wire-format reader over a range of a byte array, the counterpart of {@link ProtoWriter}: tags,
 * varints (plain and zigzag), fixed 32/64-bit values, length-delimited fields as sub-ranges, and skipping of any
 * field. It allocates nothing: a nested message is read in place by {@link #enter} / {@link #exit}, which narrow
 * and restore the readable limit, and strings or bytes are left as offsets for the caller to decode if it wants.
 *
 * <p>Bad input (a truncated value, a length past the end, a varint over ten bytes, field number 0, an unknown wire
 * type, an unmatched group end, a wire type the caller's field cannot have) throws {@link IllegalArgumentException};
 * leaving a sub-message before its end throws {@link IllegalStateException}.
 */
public final class ProtoReader {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LEN = 2;
    public static final int START_GROUP = 3;
    public static final int END_GROUP = 4;
    public static final int FIXED32 = 5;

    private static final int MAX_GROUP_DEPTH = 64;

    private byte[] buf = new byte[0];
    private int pos;
    private int limit;

    /** Reads {@code length} bytes of {@code buf} from {@code offset}. */
    public ProtoReader reset(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside buffer of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        return this;
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    /** Where the current message (or the whole range) ends. */
    public int limit() {
        return limit;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    public static int wireType(int tag) {
        return tag & 7;
    }

    /** The next field's tag ({@code field << 3 | wireType}); check {@link #hasRemaining()} first. */
    public int readTag() {
        int at = pos;
        long tag = readVarint();
        int wireType = (int) (tag & 7);
        long field = tag >>> 3;
        if (field == 0) {
            throw bad("field number 0", at);
        }
        if (field > 0x1FFFFFFFL) {
            throw bad("field number " + field + " out of range", at);
        }
        if (wireType == 6 || wireType == 7) {
            throw bad("unknown wire type " + wireType + " for field " + field, at);
        }
        return (int) tag;
    }

    /** A varint of up to ten bytes; bits past the 64th are dropped, as every protobuf decoder does. */
    public long readVarint() {
        int p = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= limit) {
                throw bad("truncated varint", pos);
            }
            byte b = buf[p++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                pos = p;
                return result;
            }
        }
        throw bad("varint longer than ten bytes", pos);
    }

    /** A varint read as int32/uint32/enum: the low 32 bits, as protobuf truncates. */
    public int readVarint32() {
        return (int) readVarint();
    }

    public boolean readBool() {
        return readVarint() != 0;
    }

    public long readSint64() {
        long v = readVarint();
        return (v >>> 1) ^ -(v & 1);
    }

    public int readSint32() {
        int v = (int) readVarint();
        return (v >>> 1) ^ -(v & 1);
    }

    public long readFixed64() {
        require(8, "fixed64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos + i] & 0xFF) << (8 * i);
        }
        pos += 8;
        return v;
    }

    public int readFixed32() {
        require(4, "fixed32");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos + i] & 0xFF) << (8 * i);
        }
        pos += 4;
        return v;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    /** A length-delimited field's bytes as UTF-8 text (a malformed sequence becomes U+FFFD, as new String does). */
    public String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, java.nio.charset.StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    /**
     * The length prefix of a length-delimited field, checked against what is left; the field's bytes are then
     * {@code [position(), position() + length)}. Pass over them with {@link #skipBytes} or read them with {@link #enter}.
     */
    public int readLength() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw bad("length " + len + " past the end (" + (limit - pos) + " bytes left)", at);
        }
        return (int) len;
    }

    public void skipBytes(int n) {
        require(n, "bytes");
        pos += n;
    }

    /**
     * Reads a length prefix and narrows the limit to the sub-message it announces; returns the outer limit, which
     * {@link #exit} takes back once the sub-message is read.
     */
    public int enter() {
        int len = readLength();
        int outer = limit;
        limit = pos + len;
        return outer;
    }

    /** Ends a sub-message begun by {@link #enter}: it must be read to its end. */
    public void exit(int outerLimit) {
        if (pos != limit) {
            throw new IllegalStateException("sub-message left with " + (limit - pos) + " bytes unread at offset " + pos);
        }
        if (outerLimit < limit || outerLimit > buf.length) {
            throw new IllegalStateException("outer limit " + outerLimit + " does not enclose " + limit);
        }
        limit = outerLimit;
    }

    /** Requires the tag's wire type to be {@code expected}, as a decoder of a known field must. */
    public static void expectWireType(int tag, int expected) {
        if (wireType(tag) != expected) {
            throw new IllegalArgumentException("wrong wire type " + wireType(tag) + " for field " + fieldNumber(tag)
                    + " (expected " + expected + ")");
        }
    }

    /** Passes over the value of a field whose tag was just read, whatever its wire type (groups included). */
    public void skipField(int tag) {
        skipField(tag, 0);
    }

    private void skipField(int tag, int depth) {
        switch (wireType(tag)) {
            case VARINT -> readVarint();
            case FIXED64 -> skipBytes(8);
            case LEN -> skipBytes(readLength());
            case FIXED32 -> skipBytes(4);
            case START_GROUP -> {
                if (depth >= MAX_GROUP_DEPTH) {
                    throw bad("groups nested too deep", pos);
                }
                while (true) {
                    if (!hasRemaining()) {
                        throw bad("unterminated group " + fieldNumber(tag), pos);
                    }
                    int inner = readTag();
                    if (wireType(inner) == END_GROUP) {
                        if (fieldNumber(inner) != fieldNumber(tag)) {
                            throw bad("group " + fieldNumber(tag) + " ended by " + fieldNumber(inner), pos);
                        }
                        return;
                    }
                    skipField(inner, depth + 1);
                }
            }
            case END_GROUP -> throw bad("end of group " + fieldNumber(tag) + " without its start", pos);
            default -> throw bad("unknown wire type " + wireType(tag), pos);
        }
    }

    private void require(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw bad("truncated " + what + ": " + n + " bytes needed, " + (limit - pos) + " left", pos);
        }
    }

    private static IllegalArgumentException bad(String reason, int at) {
        return new IllegalArgumentException(reason + " at offset " + at);
    }
}
