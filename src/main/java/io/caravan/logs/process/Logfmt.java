package io.caravan.logs.process;

import io.caravan.logs.Utf8;

import java.util.function.BiConsumer;

/**
 * A logfmt reader with the rules of go-logfmt's Decoder, which Alloy's logfmt stage uses: every line is a record;
 * bytes up to the space are garbage between pairs; a key runs to '=' or a space and may stand alone (its value is
 * ""); a value is bare (no '=' or '"' in it) or quoted, with JSON's escapes when it has any. The first syntax
 * error ends the reading, and the pairs read before it stay read, as they do in Alloy; so does a line of 64 KiB or
 * more, which the decoder's line scanner refuses.
 */
final class Logfmt {

    /** bufio.Scanner's default largest line, in UTF-8 bytes without the newline. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final String text;
    private int pos;

    private Logfmt(String text) {
        this.text = text;
    }

    /** Hands each pair to {@code pair} in order; false when a syntax error stopped the reading. */
    static boolean decode(String text, BiConsumer<String, String> pair) {
        Logfmt reader = new Logfmt(text);
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int next = newline < 0 ? text.length() : newline + 1;
            if (end - start >= MAX_LINE_BYTES / 3 && Utf8.length(text.substring(start, end)) >= MAX_LINE_BYTES) {
                return false; // bufio.Scanner's ErrTooLong: Alloy reads nothing from here on
            }
            if (end > start && text.charAt(end - 1) == '\r') {
                end--; // bufio.ScanLines drops a carriage return before the newline
            }
            if (!reader.record(start, end, pair)) {
                return false;
            }
            start = next;
        }
        return true;
    }

    private boolean record(int from, int end, BiConsumer<String, String> pair) {
        pos = from;
        while (true) {
            while (pos < end && text.charAt(pos) <= ' ') {
                pos++;
            }
            if (pos >= end) {
                return true;
            }
            int keyStart = pos;
            while (pos < end && text.charAt(pos) > ' ' && text.charAt(pos) != '=') {
                if (text.charAt(pos) == '"') {
                    return false;
                }
                pos++;
            }
            String key = text.substring(keyStart, pos);
            if (key.isEmpty() || key.indexOf('\uFFFD') >= 0) {
                return false; // a pair that starts with '=', or a key that was not valid UTF-8
            }
            if (pos >= end || text.charAt(pos) != '=') {
                pair.accept(key, "");
                continue;
            }
            pos++;
            String value;
            if (pos < end && text.charAt(pos) == '"') {
                value = quoted(end);
                if (value == null) {
                    return false;
                }
            } else {
                int valueStart = pos;
                while (pos < end && text.charAt(pos) > ' ') {
                    char c = text.charAt(pos);
                    if (c == '=' || c == '"') {
                        return false;
                    }
                    pos++;
                }
                value = text.substring(valueStart, pos);
            }
            pair.accept(key, value);
        }
    }

    /** A quoted value from the opening quote at pos; null when it is unterminated or its escapes are invalid. */
    private String quoted(int end) {
        int open = pos;
        boolean escaped = false;
        boolean hasEscape = false;
        for (int i = open + 1; i < end; i++) {
            char c = text.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
                hasEscape = true;
            } else if (c == '"') {
                pos = i + 1;
                return hasEscape ? unquote(open + 1, i) : text.substring(open + 1, i);
            }
        }
        return null;
    }

    /** JSON's string escapes, as go-logfmt reads them: a raw control character or an unknown escape is an error. */
    private String unquote(int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c < ' ') {
                return null;
            }
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            char e = text.charAt(i + 1); // quoted() ends no value on a backslash, so one follows
            switch (e) {
                case '"', '\\', '/', '\'' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int u = hex4(i, to);
                    if (u < 0) {
                        return null;
                    }
                    i += 6;
                    if (Character.isSurrogate((char) u)) {
                        int low = hex4(i, to);
                        if (Character.isHighSurrogate((char) u) && low >= 0 && Character.isLowSurrogate((char) low)) {
                            sb.append((char) u).append((char) low);
                            i += 6;
                        } else {
                            sb.append('\uFFFD'); // an unpaired surrogate, as Go's utf16.DecodeRune gives it
                        }
                    } else {
                        sb.append((char) u);
                    }
                    continue;
                }
                default -> {
                    return null;
                }
            }
            i += 2;
        }
        return sb.toString();
    }

    /** The code unit of a \\uXXXX escape at i, or -1. */
    private int hex4(int i, int to) {
        if (i + 6 > to || text.charAt(i) != '\\' || text.charAt(i + 1) != 'u') {
            return -1;
        }
        int v = 0;
        for (int k = i + 2; k < i + 6; k++) {
            char c = text.charAt(k);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
