package io.caravan.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {

    private final ProtoWriter w = new ProtoWriter(64);
    private final ProtoReader r = new ProtoReader();

    private ProtoReader read() {
        return r.reset(w.array(), 0, w.size());
    }

    @Test
    void readsEveryScalarWireType() {
        w.tag(1, ProtoWriter.VARINT);
        w.varint(150);
        w.tag(2, ProtoWriter.VARINT);
        w.varint(-1L); // int64 -1: ten bytes
        w.tag(3, ProtoWriter.FIXED64);
        w.fixed64(Double.doubleToRawLongBits(-2.5));
        w.tag(4, 5);
        w.fixed32(Float.floatToRawIntBits(1.25f));
        w.tag(5, ProtoWriter.VARINT);
        w.varint(zigzag(-3));
        w.tag(6, ProtoWriter.VARINT);
        w.varint(zigzag(Long.MIN_VALUE));
        w.tag(7, ProtoWriter.VARINT);
        w.varint(Integer.toUnsignedLong(zigzag32(Integer.MIN_VALUE)));

        read();
        int tag = r.readTag();
        assertThat(ProtoReader.fieldNumber(tag)).isEqualTo(1);
        assertThat(ProtoReader.wireType(tag)).isEqualTo(ProtoReader.VARINT);
        assertThat(r.readVarint()).isEqualTo(150);
        assertThat(ProtoReader.fieldNumber(r.readTag())).isEqualTo(2);
        assertThat(r.readVarint()).isEqualTo(-1L);
        tag = r.readTag();
        assertThat(ProtoReader.wireType(tag)).isEqualTo(ProtoReader.FIXED64);
        assertThat(r.readDouble()).isEqualTo(-2.5);
        tag = r.readTag();
        assertThat(ProtoReader.wireType(tag)).isEqualTo(ProtoReader.FIXED32);
        assertThat(r.readFloat()).isEqualTo(1.25f);
        r.readTag();
        assertThat(r.readSint64()).isEqualTo(-3);
        r.readTag();
        assertThat(r.readSint64()).isEqualTo(Long.MIN_VALUE);
        r.readTag();
        assertThat(r.readSint32()).isEqualTo(Integer.MIN_VALUE);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Test
    void int32VarintKeepsTheLowBits() {
        w.varint(-5L); // a negative int32 is sign-extended to ten bytes on the wire
        assertThat(read().readVarint32()).isEqualTo(-5);
    }

    @Test
    void readsNestedMessagesInPlace() {
        // field 1 = { field 1 = "ab", field 2 = 7 }, field 2 = 9
        ProtoWriter inner = new ProtoWriter(16);
        inner.string(1, "ab");
        inner.tag(2, ProtoWriter.VARINT);
        inner.varint(7);
        w.tag(1, ProtoWriter.LEN);
        w.varint(inner.size());
        w.raw(inner.array(), 0, inner.size());
        w.tag(2, ProtoWriter.VARINT);
        w.varint(9);

        read();
        r.readTag();
        int outer = r.enter();
        assertThat(r.limit()).isEqualTo(r.position() + inner.size());
        r.readTag();
        int len = r.readLength();
        assertThat(new String(r.buffer(), r.position(), len)).isEqualTo("ab");
        r.skipBytes(len);
        r.readTag();
        assertThat(r.readVarint()).isEqualTo(7);
        assertThat(r.hasRemaining()).isFalse();
        r.exit(outer);
        assertThat(r.hasRemaining()).isTrue();
        r.readTag();
        assertThat(r.readVarint()).isEqualTo(9);
    }

    @Test
    void readsOnlyItsRange() {
        w.tag(1, ProtoWriter.VARINT);
        w.varint(1);
        w.tag(2, ProtoWriter.VARINT);
        w.varint(2);
        r.reset(w.array(), 2, 2);
        assertThat(ProtoReader.fieldNumber(r.readTag())).isEqualTo(2);
        assertThat(r.readVarint()).isEqualTo(2);
        assertThat(r.hasRemaining()).isFalse();
        assertThatThrownBy(() -> r.reset(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void skipsUnknownFieldsOfEveryWireTypeIncludingGroups() {
        w.tag(10, ProtoWriter.VARINT);
        w.varint(1L << 40);
        w.tag(11, ProtoWriter.FIXED64);
        w.fixed64(1);
        w.tag(12, ProtoWriter.LEN);
        w.varint(3);
        w.raw(new byte[]{1, 2, 3}, 0, 3);
        w.tag(13, 5);
        w.fixed32(1);
        w.tag(14, 3); // group 14 { field 1 = 5, group 2 { } }
        w.tag(1, ProtoWriter.VARINT);
        w.varint(5);
        w.tag(2, 3);
        w.tag(2, 4);
        w.tag(14, 4);
        w.tag(1, ProtoWriter.VARINT);
        w.varint(42);

        read();
        for (int i = 0; i < 5; i++) {
            r.skipField(r.readTag());
        }
        assertThat(ProtoReader.fieldNumber(r.readTag())).isEqualTo(1);
        assertThat(r.readVarint()).isEqualTo(42);
    }

    @Test
    void truncatedOrMalformedInputIsAnIllegalArgument() {
        assertBad(new byte[]{(byte) 0x80}, ProtoReader::readVarint, "truncated varint at offset 0");
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0x80);
        assertBad(eleven, ProtoReader::readVarint, "varint longer than ten bytes");
        assertBad(new byte[]{1, 2, 3}, ProtoReader::readDouble, "truncated fixed64: 8 bytes needed, 3 left");
        assertBad(new byte[]{1}, ProtoReader::readFixed32, "truncated fixed32");
        assertBad(new byte[]{5, 'a'}, ProtoReader::readLength, "length 5 past the end (1 bytes left) at offset 0");
        assertBad(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 1}, ProtoReader::readLength, "length -1 past the end");
        assertBad(new byte[]{0x00}, ProtoReader::readTag, "field number 0");
        assertBad(new byte[]{0x0E}, ProtoReader::readTag, "unknown wire type 6 for field 1");
        assertBad(new byte[]{0x0B, 0x08, 0x01}, rd -> rd.skipField(rd.readTag()), "unterminated group 1");
        assertBad(new byte[]{0x0B, 0x14}, rd -> rd.skipField(rd.readTag()), "group 1 ended by 2");
        assertBad(new byte[]{0x0C}, rd -> rd.skipField(rd.readTag()), "end of group 1 without its start");
        assertBad(new byte[]{0x0A, 0x02, 0x08}, rd -> rd.skipField(rd.readTag()), "length 2 past the end");
        assertBad(new byte[]{0x09}, rd -> ProtoReader.expectWireType(rd.readTag(), ProtoReader.LEN),
                "wrong wire type 1 for field 1 (expected 2)");
    }

    @Test
    void leavingASubMessageEarlyIsAnIllegalState() {
        r.reset(new byte[]{0x02, 0x08, 0x01}, 0, 3);
        int outer = r.enter();
        assertThatThrownBy(() -> r.exit(outer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 bytes unread");
    }

    private interface Read {
        void apply(ProtoReader r);
    }

    private void assertBad(byte[] input, Read read, String message) {
        r.reset(input, 0, input.length);
        assertThatThrownBy(() -> read.apply(r)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int zigzag32(int v) {
        return (v << 1) ^ (v >> 31);
    }
}
