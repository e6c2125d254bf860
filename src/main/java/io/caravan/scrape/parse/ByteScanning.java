package io.caravan.scrape.parse;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level scanning shared by both exposition parsers: character classes, quoted strings, UTF-8 checks,
 * unescaping and error excerpts. Everything works on {@code (buf, from, to)} ranges so the hot path
 * creates no objects.
 */
final class ByteScanning {

    /** Flag in {@link #scanQuoted}'s result: the string holds a backslash and needs unescaping. */
    static final long HAS_ESCAPE = 1;
    /** Flag in {@link #scanQuoted}'s result: the string holds non-ASCII bytes and needs a UTF-8 check. */
    static final long HAS_NON_ASCII = 2;

    private static final byte METRIC_START = 1;
    private static final byte METRIC_PART = 2;
    private static final byte LABEL_START = 4;
    private static final byte LABEL_PART = 8;
    private static final byte[] CLASSES = new byte[256];

    static {
        for (int c = 0; c < 128; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            byte k = 0;
            if (letter || c == ':') {
                k |= METRIC_START | METRIC_PART;
            }
            if (digit) {
                k |= METRIC_PART | LABEL_PART;
            }
            if (letter) {
                k |= LABEL_START | LABEL_PART;
            }
            CLASSES[c] = k;
        }
    }

    private ByteScanning() {
    }

    static boolean isMetricNameStart(byte b) {
        return (CLASSES[b & 0xFF] & METRIC_START) != 0;
    }

    static boolean isLabelNameStart(byte b) {
        return (CLASSES[b & 0xFF] & LABEL_START) != 0;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** End of the legacy metric name {@code [a-zA-Z_:][a-zA-Z0-9_:]*} starting at pos; pos itself when there is none. */
    static int scanMetricName(byte[] b, int pos, int end) {
        if (pos >= end || !isMetricNameStart(b[pos])) {
            return pos;
        }
        int i = pos + 1;
        while (i < end && (CLASSES[b[i] & 0xFF] & METRIC_PART) != 0) {
            i++;
        }
        return i;
    }

    /** End of the legacy label name {@code [a-zA-Z_][a-zA-Z0-9_]*} starting at pos; pos itself when there is none. */
    static int scanLabelName(byte[] b, int pos, int end) {
        if (pos >= end || !isLabelNameStart(b[pos])) {
            return pos;
        }
        int i = pos + 1;
        while (i < end && (CLASSES[b[i] & 0xFF] & LABEL_PART) != 0) {
            i++;
        }
        return i;
    }

    static int skipBlanks(byte[] b, int pos, int end) {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    /** Index of the newline ending the line that holds pos, or end. */
    static int lineEnd(byte[] b, int pos, int end) {
        while (pos < end && b[pos] != '\n') {
            pos++;
        }
        return pos;
    }

    static boolean startsWith(byte[] b, int pos, int end, String ascii) {
        int n = ascii.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsAscii(byte[] b, int from, int to, String ascii) {
        return to - from == ascii.length() && startsWith(b, from, to, ascii);
    }

    /**
     * Scans a double-quoted string whose opening quote is at pos. A backslash escapes any byte but a newline;
     * a raw newline is not allowed. Returns {@code (indexAfterClosingQuote << 2) | flags}, or -1 when the
     * string is not closed on this line.
     */
    static long scanQuoted(byte[] b, int pos, int end) {
        long flags = 0;
        int i = pos + 1;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                return ((long) (i + 1) << 2) | flags;
            }
            if (c == '\n') {
                return -1;
            }
            if (c == '\\') {
                flags |= HAS_ESCAPE;
                i++;
                if (i >= end || b[i] == '\n') {
                    return -1;
                }
                c = b[i];
            }
            if (c < 0) {
                flags |= HAS_NON_ASCII;
            }
            i++;
        }
        return -1;
    }

    static int quotedEnd(long scanResult) {
        return (int) (scanResult >>> 2);
    }

    /** Strict UTF-8 as Go's utf8.Valid: no overlong forms, no surrogates, nothing above U+10FFFF. */
    static boolean isValidUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (i + need >= to) {
                return false; // truncated sequence
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int cont = b[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }

    /**
     * Decodes a range as UTF-8, resolving {@code \\} and {@code \n} always and {@code \"} when
     * {@code quoteEscape}; any other backslash stays as it is (as Prometheus' replacer does).
     */
    static String unescape(byte[] b, int from, int to, boolean quoteEscape) {
        byte[] out = new byte[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte e = b[i + 1];
                if (e == '\\') {
                    out[n++] = '\\';
                    i += 2;
                    continue;
                }
                if (e == 'n') {
                    out[n++] = '\n';
                    i += 2;
                    continue;
                }
                if (e == '"' && quoteEscape) {
                    out[n++] = '"';
                    i += 2;
                    continue;
                }
            }
            out[n++] = c;
            i++;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static String decode(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** Parses {@code [0-9]+} as a non-negative long; -1 on overflow. */
    static long parseDigits(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Up to 40 bytes either side of pos on its line, control characters escaped, for error messages. */
    static String excerpt(byte[] b, int lineStart, int pos, int end) {
        int lineEnd = lineEnd(b, lineStart, end);
        pos = Math.max(lineStart, Math.min(pos, lineEnd));
        int from = Math.max(lineStart, pos - 40);
        int to = Math.min(lineEnd, pos + 40);
        // do not cut a multi-byte UTF-8 character in half
        while (from > lineStart && (b[from] & 0xC0) == 0x80) {
            from--;
        }
        while (to < lineEnd && (b[to] & 0xC0) == 0x80) {
            to++;
        }
        String s = decode(b, from, to);
        StringBuilder sb = new StringBuilder(s.length() + 8);
        if (from > lineStart) {
            sb.append("...");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (to < lineEnd) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** A short printable rendering of a token for error messages. */
    static String token(byte[] b, int from, int to) {
        if (to - from > 40) {
            return decode(b, from, from + 40) + "...";
        }
        return decode(b, from, to);
    }
}
