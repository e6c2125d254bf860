package io.caravan.logs.process;

import java.util.Locale;
import java.util.Set;

/**
 * Alloy's getFloat: how an extracted value becomes a metric's number. Numbers as they are, true 1 and false 0, and
 * strings read as Go reads a float ("0.804", "1e3", "inf") or else as a Go duration in seconds ("0.5ms" is 0.0005).
 */
final class MetricValue {

    private static final Set<String> GO_SPECIALS = Set.of("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan");

    private MetricValue() {
    }

    /** The number, or null when the value has none (a JSON null, an object, text that is neither form). */
    static Double toFloat(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            Double f = goFloat(s);
            return f != null ? f : goDurationSeconds(s);
        }
        return null;
    }

    /** Go's ParseFloat: Java's reading without what Go refuses (surrounding spaces, a d or f suffix). */
    private static Double goFloat(String s) {
        if (s.isEmpty() || s.strip().length() != s.length()) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (GO_SPECIALS.contains(lower)) {
            return lower.contains("nan") ? Double.NaN : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        if (last == 'd' || last == 'f' || lower.contains("n")) { // "NaN"/"Infinity" spellings Go does not take
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Go's ParseDuration, in seconds: a sign, then number-unit pairs ("1h30m", "1.5s", "300us"); "0" alone too. */
    static Double goDurationSeconds(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return 0.0;
        }
        if (i == s.length()) {
            return null;
        }
        double seconds = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                return null;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            double unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1e-9;
                case "us", "\u00b5s", "\u03bcs" -> 1e-6;
                case "ms" -> 1e-3;
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> Double.NaN;
            };
            if (Double.isNaN(unit)) {
                return null;
            }
            seconds += Double.parseDouble(number) * unit;
        }
        return negative ? -seconds : seconds;
    }
}
