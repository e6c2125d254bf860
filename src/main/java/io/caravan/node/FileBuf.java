package io.caravan.node;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable buffer that holds one file at a time, with the small parsers the collectors need
 * (no regex, no String.split): tokens are byte ranges, numbers are parsed in place.
 * Not thread-safe: one per collector.
 */
final class FileBuf {

    byte[] buf;
    int len;

    FileBuf(int capacity) {
        buf = new byte[capacity];
    }

    /** Reads the whole file; throws (NoSuchFileException-like IOException) when it cannot be read. */
    FileBuf read(String path) throws IOException {
        len = 0;
        try (FileInputStream in = new FileInputStream(path)) {
            while (true) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    return this;
                }
                len += n;
            }
        }
    }

    /** Reads the file, or returns false if it does not exist or cannot be read. */
    boolean tryRead(String path) {
        try {
            read(path);
            return true;
        } catch (IOException e) {
            len = 0;
            return false;
        }
    }

    /** The file's content with surrounding whitespace trimmed, as a String. */
    String trimmed() {
        int s = 0;
        int e = len;
        while (s < e && isSpace(buf[s])) {
            s++;
        }
        while (e > s && isSpace(buf[e - 1])) {
            e--;
        }
        return new String(buf, s, e - s, StandardCharsets.UTF_8);
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
    }

    /** Index of the end of the line starting at {@code pos} (position of '\n' or len). */
    int lineEnd(int pos) {
        while (pos < len && buf[pos] != '\n') {
            pos++;
        }
        return pos;
    }

    int skipSpaces(int pos, int end) {
        while (pos < end && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        return pos;
    }

    int tokenEnd(int pos, int end) {
        while (pos < end && buf[pos] != ' ' && buf[pos] != '\t') {
            pos++;
        }
        return pos;
    }

    boolean startsWith(int pos, int end, String prefix) {
        int n = prefix.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean equalsAscii(int pos, int end, String s) {
        return end - pos == s.length() && startsWith(pos, end, s);
    }

    String string(int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    String utf8(int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /** Parses an unsigned decimal integer in [start, end); -1 if it is not one (or overflows a long). */
    long parseUnsigned(int start, int end) {
        if (start >= end) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /**
     * Parses a decimal number as Go's strconv.ParseFloat would: plain "-12", "0.52" fast and exactly
     * (an integer mantissa below 2^53 divided by an exact power of ten rounds correctly); anything else
     * (exponents, long mantissas, unsigned values past 2^63) through Double.parseDouble. NaN if not a number.
     */
    double parseDouble(int start, int end) {
        if (start >= end) {
            return Double.NaN;
        }
        int i = start;
        boolean neg = false;
        if (buf[i] == '-' || buf[i] == '+') {
            neg = buf[i] == '-';
            i++;
        }
        long mant = 0;
        int fracDigits = 0;
        boolean point = false;
        boolean any = false;
        for (; i < end; i++) {
            byte c = buf[i];
            if (c >= '0' && c <= '9') {
                if (mant > (Long.MAX_VALUE - 9) / 10) {
                    return slowParse(start, end);
                }
                mant = mant * 10 + (c - '0');
                any = true;
                if (point) {
                    fracDigits++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return slowParse(start, end);
            }
        }
        if (!any) {
            return Double.NaN;
        }
        double v;
        if (fracDigits == 0) {
            v = (double) mant; // correctly rounded, as ParseFloat
        } else if (mant < (1L << 53) && fracDigits < POW10.length) {
            v = mant / POW10[fracDigits];
        } else {
            return slowParse(start, end);
        }
        return neg ? -v : v;
    }

    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private double slowParse(int start, int end) {
        try {
            String s = string(start, end);
            // an unsigned 64-bit counter beyond Long.MAX_VALUE still parses as a double
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Parses an unsigned 64-bit integer into a double (values past 2^63 included); NaN if not an integer. */
    double parseUnsignedAsDouble(int start, int end) {
        long v = parseUnsigned(start, end);
        if (v >= 0) {
            return (double) v;
        }
        for (int i = start; i < end; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                return Double.NaN;
            }
        }
        return start < end ? new java.math.BigDecimal(string(start, end)).doubleValue() : Double.NaN;
    }
}
