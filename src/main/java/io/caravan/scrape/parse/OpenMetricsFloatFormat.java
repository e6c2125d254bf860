package io.caravan.scrape.parse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prometheus' formatOpenMetricsFloat: Go's shortest {@code %g} rendering ({@code 'g', -1}), with {@code .0}
 * appended when the result has neither a point nor an exponent, and {@code NaN}, {@code +Inf}, {@code -Inf}
 * spelled out. Prometheus 3 rewrites classic histogram {@code le} and summary {@code quantile} values with it.
 */
final class OpenMetricsFloatFormat {

    /** Go switches %g to exponent form at decimal exponent 6 or more when the precision is the shortest. */
    private static final int SHORTEST_EXPONENT_LIMIT = 6;

    private OpenMetricsFloatFormat() {
    }

    static String format(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return Double.doubleToRawLongBits(f) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(f)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int nd = digits.length();
        int pointPos = nd - shortest.scale(); // value = 0.digits * 10^pointPos
        int exp = pointPos - 1;

        StringBuilder sb = new StringBuilder(nd + 8);
        if (f < 0) {
            sb.append('-');
        }
        if (exp < -4 || exp >= SHORTEST_EXPONENT_LIMIT) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
            return sb.toString();
        }
        if (pointPos <= 0) {
            sb.append("0.");
            sb.append("0".repeat(-pointPos));
            sb.append(digits);
        } else if (pointPos >= nd) {
            sb.append(digits);
            sb.append("0".repeat(pointPos - nd));
            sb.append(".0");
        } else {
            sb.append(digits, 0, pointPos).append('.').append(digits, pointPos, nd);
        }
        return sb.toString();
    }

    /**
     * The decimal with the fewest digits that reads back as {@code a}, closest to {@code a} among those.
     * (Java 17's Double.toString is not always shortest, so it cannot stand in for Go's algorithm.)
     */
    private static BigDecimal shortestDecimal(double a) {
        BigDecimal exact = new BigDecimal(a);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == a) {
                return nearest;
            }
            // next to a power of two the interval that reads back is lopsided: try the other neighbour
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            if (up.doubleValue() == a) {
                return up;
            }
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            if (down.doubleValue() == a) {
                return down;
            }
        }
        return exact.round(MathContext.DECIMAL64);
    }
}
