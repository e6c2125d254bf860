package io.caravan.logs.process.gotemplate;

import io.caravan.model.GoStrings;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values inside a {@link GoTemplate} and how Go's fmt prints them. A template sees String, Long (Go's int),
 * Double (float64), Boolean, List, Map, null (nil) and {@link #NO_VALUE}, what Go gives for a key the data lacks.
 */
final class GoValues {

    /** A field the data has no key for: Go's invalid value, printed "<no value>", refused by typed arguments. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private GoValues() {
    }

    /** fmt's %v. */
    static String print(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof Double d) {
            return formatFloat(d);
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(print(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                sb.append(first ? "" : " ").append(print(e.getKey())).append(':').append(print(e.getValue()));
                first = false;
            }
            return sb.append(']').toString();
        }
        return v.toString();
    }

    /** Go's shortest %v of a float64: plain digits, or d.ddde+XX when the exponent is below -4 or 6 and more (%g, shortest). */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = b.precision() - b.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = b.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return b.toPlainString();
    }

    /** Go's type names, for messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v == NO_VALUE) {
            return "invalid value";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List<?>) {
            return "[]interface {}";
        }
        return v instanceof Map<?, ?> ? "map[string]interface {}" : v.getClass().getSimpleName();
    }

    /** Go's truth of an if or and/or/not: false, 0, "", nil, an empty list or map, and a missing key are false. */
    static boolean isTrue(Object v) {
        if (v == null || v == NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !(v instanceof Map<?, ?> m) || !m.isEmpty();
    }

    /** Go's len of a string counts bytes. */
    static int byteLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** strconv.Quote. */
    static String quote(String s) {
        return GoStrings.quote(s);
    }
}
