package io.caravan.logs.process;

import java.math.BigDecimal;

/** Values of the extracted map and Alloy's getString conversion of them. */
final class Extracted {

    /** A JSON null or a JMESPath result that found nothing: present in the map, but not a string. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private Extracted() {
    }

    /** Alloy's getString: strings as they are, numbers as Go's FormatFloat(v, 'f', -1), booleans; null otherwise. */
    static String asString(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d) {
            return formatFloat(d);
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        return null;
    }

    /** Shortest decimal that reads back as the same double, never in exponent form ('f', -1 in Go). */
    static String formatFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
