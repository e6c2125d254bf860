package io.caravan.node;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} does, which is how client_golang
 * writes sample values: the shortest decimal that reads back as the same double, in %e form when the
 * decimal exponent is below -4 or at least 6 (the "shortest" rule), with a two-digit minimum exponent
 * ({@code 1e+06}, {@code 1.5e-05}), and {@code NaN}, {@code +Inf}, {@code -Inf}.
 */
public final class GoFloat {

    private GoFloat() {
    }

    private static final long EXACT_INT_LIMIT = 1L << 53;

    public static String format(double v) {
        ByteOut out = new ByteOut(32);
        append(out, v, new byte[32]);
        return out.toString();
    }

    /** Appends the formatted value; {@code digits} is scratch of at least 32 bytes. */
    public static void append(ByteOut out, double v, byte[] digits) {
        if (v != v) {
            out.ascii("NaN");
            return;
        }
        if (v == Double.POSITIVE_INFINITY) {
            out.ascii("+Inf");
            return;
        }
        if (v == Double.NEGATIVE_INFINITY) {
            out.ascii("-Inf");
            return;
        }
        if (v == 0) {
            if (Double.doubleToRawLongBits(v) != 0) {
                out.ascii("-0");
            } else {
                out.write('0');
            }
            return;
        }
        if (v < 0) {
            out.write('-');
            v = -v;
        }
        int nd;
        int dp;
        if (v < EXACT_INT_LIMIT && v == Math.rint(v)) {
            long l = (long) v;
            // digits of l, then drop trailing zeros (they are carried by dp)
            int len = 0;
            long t = l;
            while (t != 0) {
                digits[len++] = (byte) ('0' + (int) (t % 10));
                t /= 10;
            }
            for (int i = 0, j = len - 1; i < j; i++, j--) {
                byte b = digits[i];
                digits[i] = digits[j];
                digits[j] = b;
            }
            dp = len;
            nd = len;
            while (nd > 1 && digits[nd - 1] == '0') {
                nd--;
            }
        } else {
            long packed = shortestDigits(v, digits);
            nd = (int) (packed >>> 32);
            dp = (int) packed;
        }
        int exp = dp - 1;
        if (exp < -4 || exp >= 6) {
            out.write(digits[0]);
            if (nd > 1) {
                out.write('.');
                out.write(digits, 1, nd - 1);
            }
            out.write('e');
            if (exp < 0) {
                out.write('-');
                exp = -exp;
            } else {
                out.write('+');
            }
            if (exp < 10) {
                out.write('0');
                out.write('0' + exp);
            } else if (exp < 100) {
                out.write('0' + exp / 10);
                out.write('0' + exp % 10);
            } else {
                out.write('0' + exp / 100);
                out.write('0' + (exp / 10) % 10);
                out.write('0' + exp % 10);
            }
            return;
        }
        // %f with as many fraction digits as needed
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                out.write(i < nd ? digits[i] : '0');
            }
        } else {
            out.write('0');
        }
        int frac = nd - dp;
        if (frac > 0) {
            out.write('.');
            for (int i = 0; i < frac; i++) {
                int di = dp + i;
                out.write(di >= 0 && di < nd ? digits[di] : '0');
            }
        }
    }

    /**
     * Shortest round-tripping decimal digits of a positive finite double: returns nd << 32 | dp (decimal
     * point position: value = 0.d1d2... * 10^dp). Double.toString's digits are used when they are short;
     * 16 or more digits go through BigDecimal, because Java 17's Double.toString is not always the shortest
     * (JDK-4511638) and Go's is.
     */
    static long shortestDigits(double v, byte[] digits) {
        String s = Double.toString(v);
        int nd = 0;
        int dp = 0;
        boolean seenPoint = false;
        boolean leading = true;
        int exp10 = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                seenPoint = true;
            } else if (c == 'E') {
                exp10 = Integer.parseInt(s, i + 1, len, 10);
                break;
            } else {
                if (leading && c == '0') {
                    if (seenPoint) {
                        dp--;
                    }
                    continue;
                }
                leading = false;
                digits[nd++] = (byte) c;
                if (!seenPoint) {
                    dp++;
                }
            }
        }
        while (nd > 1 && digits[nd - 1] == '0') {
            nd--;
        }
        dp += exp10;
        if (nd < 16) {
            // Java 17 is sometimes one digit too long (4.9E-324 for Go's 5e-324): try one digit less
            while (nd > 1) {
                int shorter = shorten(v, digits, nd, dp);
                if (shorter < 0) {
                    break;
                }
                nd = shorter >>> 16;
                dp = (short) (shorter & 0xffff);
            }
            return ((long) nd << 32) | (dp & 0xffffffffL);
        }
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                String u = r.unscaledValue().toString();
                int ulen = u.length();
                int n = ulen;
                while (n > 1 && u.charAt(n - 1) == '0') {
                    n--;
                }
                for (int i = 0; i < n; i++) {
                    digits[i] = (byte) u.charAt(i);
                }
                int point = ulen - r.scale();
                return ((long) n << 32) | (point & 0xffffffffL);
            }
        }
        throw new IllegalStateException("no round-trip for " + v);
    }

    /**
     * Tries nd-1 digits, rounded to nearest first, then the other neighbour; on a round trip updates
     * {@code digits} and returns (newNd << 16 | dp & 0xffff), else -1.
     */
    private static int shorten(double v, byte[] digits, int nd, int dp) {
        int n = nd - 1;
        boolean up = digits[n] >= '5';
        for (int attempt = 0; attempt < 2; attempt++, up = !up) {
            byte[] cand = java.util.Arrays.copyOf(digits, n + 1);
            int cdp = dp;
            int cn = n;
            if (up) {
                int i = n - 1;
                while (i >= 0 && cand[i] == '9') {
                    cand[i] = '0';
                    i--;
                }
                if (i < 0) {
                    System.arraycopy(cand, 0, cand, 1, n);
                    cand[0] = '1';
                    cdp++;
                } else {
                    cand[i]++;
                }
            }
            while (cn > 1 && cand[cn - 1] == '0') {
                cn--;
            }
            StringBuilder sb = new StringBuilder(cn + 8).append("0.");
            for (int i = 0; i < cn; i++) {
                sb.append((char) cand[i]);
            }
            sb.append('E').append(cdp);
            if (Double.parseDouble(sb.toString()) == v) {
                System.arraycopy(cand, 0, digits, 0, cn);
                return (cn << 16) | (cdp & 0xffff);
            }
        }
        return -1;
    }
}
