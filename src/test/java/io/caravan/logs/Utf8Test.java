package io.caravan.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    static boolean valid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.isValid(b, 0, b.length);
    }

    @Test
    void validatesLikeTheStandard() {
        byte[] text = "plain, é, €, 𝄞".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValid(text, 0, text.length)).isTrue();
        assertThat(valid(0xff)).isFalse();
        assertThat(valid(0xc0, 0x80)).isFalse();             // overlong
        assertThat(valid(0xe0, 0x80, 0x80)).isFalse();       // overlong
        assertThat(valid(0xed, 0xa0, 0x80)).isFalse();       // surrogate
        assertThat(valid(0xf4, 0x90, 0x80, 0x80)).isFalse(); // above U+10FFFF
        assertThat(valid(0xe2, 0x82)).isFalse();             // cut short
        assertThat(valid(0xc3, 0x41)).isFalse();             // bad continuation
        assertThat(valid(0, 1, 2, 0x7f)).isTrue();
    }

    @Test
    void cutsNeverSplitACharacter() {
        byte[] b = "ab€".getBytes(StandardCharsets.UTF_8); // € is 3 bytes
        assertThat(Utf8.cutPoint(b, 0, b.length, 3)).isEqualTo(2);
        assertThat(Utf8.cutPoint(b, 0, b.length, 4)).isEqualTo(2);
        assertThat(Utf8.cutPoint(b, 0, b.length, 5)).isEqualTo(5);
        assertThat(Utf8.completePrefix(b, 0, 4)).isEqualTo(2);
        assertThat(Utf8.completePrefix(b, 0, 5)).isEqualTo(5);
        assertThat(Utf8.completePrefix(b, 0, 2)).isEqualTo(2);
    }

    @Test
    void lengthIsTheEncodedLength() {
        for (String s : new String[]{"", "plain", "é", "€uro", "𝄞", "a\uD800b"}) {
            assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @org.junit.jupiter.api.Test
    void newlineSearchAgreesWithAPlainScan() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(10);
                b[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0x0B : r == 2 ? 0x8A : r == 3 ? 0x09 : random.nextInt(256));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            org.assertj.core.api.Assertions.assertThat(Utf8.indexOfNewline(b, from, to)).as(java.util.Arrays.toString(b) + " " + from + ".." + to)
                    .isEqualTo(expected);
        }
    }
}
