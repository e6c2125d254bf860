package io.caravan.scrape.parse;

import java.nio.charset.StandardCharsets;

/**
 * Sample values as Prometheus reads them: Go's strconv.ParseFloat minus the Go 1.13 additions that
 * Prometheus refuses (hex mantissas with {@code p} exponents, {@code _} separators). So: optional sign,
 * decimal digits with an optional point and an optional {@code e}/{@code E} exponent; {@code Inf} and
 * {@code Infinity} in any case with an optional sign; {@code NaN} in any case without a sign.
 * A finite literal that overflows to infinity is an error, as in Go.
 */
final class ExpositionFloats {

    /** The NaN bit pattern Go's math.NaN() and Prometheus' value.NormalNaN use, so values stay bit-identical. */
    static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    /** Up to 15 significant digits the mantissa is below 2^53, so it and 10^k (k <= 22) are exact doubles. */
    private static final int FAST_DIGITS = 15;

    private ExpositionFloats() {
    }

    static double parse(byte[] b, int from, int to) {
        if (from >= to) {
            throw new NumberFormatException("empty value");
        }
        int i = from;
        boolean negative = false;
        byte c = b[i];
        if (c == '+' || c == '-') {
            negative = c == '-';
            if (++i >= to) {
                throw invalid(b, from, to);
            }
            c = b[i];
        }
        if (c == 'i' || c == 'I') {
            if (equalsIgnoreCase(b, i, to, "inf") || equalsIgnoreCase(b, i, to, "infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw invalid(b, from, to);
        }
        if (c == 'n' || c == 'N') {
            // Go accepts a sign only in front of Inf, not NaN
            if (i == from && equalsIgnoreCase(b, i, to, "nan")) {
                return NORMAL_NAN;
            }
            throw invalid(b, from, to);
        }

        long mantissa = 0;
        int significant = 0;
        int fractionDigits = 0;
        boolean sawDigit = false;
        boolean sawPoint = false;
        for (; i < to; i++) {
            c = b[i];
            if (c >= '0' && c <= '9') {
                sawDigit = true;
                if (sawPoint) {
                    fractionDigits++;
                }
                if (mantissa == 0 && c == '0') {
                    continue; // leading zeros carry no significance
                }
                if (++significant <= FAST_DIGITS) {
                    mantissa = mantissa * 10 + (c - '0');
                }
            } else if (c == '.' && !sawPoint) {
                sawPoint = true;
            } else if (c == 'e' || c == 'E') {
                break;
            } else {
                throw invalid(b, from, to);
            }
        }
        if (!sawDigit) {
            throw invalid(b, from, to);
        }
        int exponent = 0;
        if (i < to) {
            i++; // past 'e'
            boolean negativeExponent = false;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (i >= to) {
                throw invalid(b, from, to);
            }
            for (; i < to; i++) {
                c = b[i];
                if (c < '0' || c > '9') {
                    throw invalid(b, from, to);
                }
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }

        if (significant <= FAST_DIGITS) {
            if (mantissa == 0) {
                return negative ? -0.0 : 0.0;
            }
            int scale = exponent - fractionDigits;
            double d;
            if (scale == 0) {
                d = mantissa;
            } else if (scale > 0 && scale <= 22) {
                d = mantissa * POW10[scale]; // one rounding of two exact operands: correctly rounded
            } else if (scale < 0 && scale >= -22) {
                d = mantissa / POW10[-scale];
            } else {
                d = slow(b, from, to);
                return d;
            }
            return negative ? -d : d;
        }
        return slow(b, from, to);
    }

    private static double slow(byte[] b, int from, int to) {
        // the syntax is already checked and is a subset of what Java accepts
        double d = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(d)) {
            throw new NumberFormatException("value out of range: " + ByteScanning.token(b, from, to));
        }
        return d;
    }

    /** Parses a whole string with the same rules; for label values, which are already Strings. */
    static double parse(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            char c = s.charAt(i);
            if (c > 127) {
                throw new NumberFormatException("not a float: " + s);
            }
            b[i] = (byte) c;
        }
        return parse(b, 0, b.length);
    }

    private static boolean equalsIgnoreCase(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((b[from + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static NumberFormatException invalid(byte[] b, int from, int to) {
        return new NumberFormatException("invalid float '" + ByteScanning.token(b, from, to) + "'");
    }
}
