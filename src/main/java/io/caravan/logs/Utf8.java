package io.caravan.logs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Line bytes to text, and text's length in bytes. Hand-written because it is on the hot path: ASCII (most log
 * lines) is checked in one pass and copied; anything else is validated here so that invalid lines can be counted,
 * and then decoded by the JDK, which replaces each bad sequence with U+FFFD.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;

    /**
     * The index of the first '\n' in b[from, to), or -1. Eight bytes at a time (a word's zero byte after XOR with
     * newlines): hand-written because the byte-by-byte scan was ~30% of the pod-logs reading thread (JFR).
     */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            // ASCII runs eight bytes at a time
            while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= end) {
                break;
            }
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) {
                return false;
            }
            int cp = c & (0x3f >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    /** Length to keep so that a cut at {@code max} bytes does not split a character. */
    public static int cutPoint(byte[] b, int off, int len, int max) {
        if (len <= max) {
            return len;
        }
        int cut = max;
        // step back over continuation bytes, at most 3
        int back = 0;
        while (cut > 0 && back < 3 && (b[off + cut] & 0xc0) == 0x80) {
            cut--;
            back++;
        }
        return cut;
    }

    /** Length of the bytes without an unfinished character at their end (what a cut may leave). */
    public static int completePrefix(byte[] b, int off, int len) {
        int j = len - 1;
        int back = 0;
        while (j >= 0 && back < 3 && (b[off + j] & 0xc0) == 0x80) {
            j--;
            back++;
        }
        if (j < 0) {
            return len;
        }
        int lead = b[off + j] & 0xff;
        int need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        return len - j < need ? j : len;
    }

    public static String decode(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** UTF-8 byte length of text, without encoding it: Loki and Alloy measure lines in bytes. */
    public static int length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    n += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 2; // 4 bytes for 2 chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    n += 2;
                }
            }
        }
        return n;
    }
}
