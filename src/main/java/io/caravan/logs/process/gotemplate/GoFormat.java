package io.caravan.logs.process.gotemplate;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Go's fmt print, println and printf for template values. printf knows the verbs log templates use
 * (%v %s %q %d %t %f %e %g %x %X %o %b %c %%) with flags, width and precision; a verb that does not fit its
 * value, or a missing or extra argument, is written as Go writes it (%!d(string=abc), %!s(MISSING)).
 */
final class GoFormat {

    private GoFormat() {
    }

    /** fmt.Sprint: a space between two operands when neither is a string. */
    static String sprint(Object[] args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0 && !(args[i] instanceof String) && !(args[i - 1] instanceof String)) {
                sb.append(' ');
            }
            sb.append(GoValues.print(args[i]));
        }
        return sb.toString();
    }

    /** fmt.Sprintln: spaces between all operands, and a newline. */
    static String sprintln(Object[] args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            sb.append(i > 0 ? " " : "").append(GoValues.print(args[i]));
        }
        return sb.append('\n').toString();
    }

    static String sprintf(String format, Object[] args) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int specStart = i;
            while (i < format.length() && "+-# 0".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            String flags = format.substring(specStart, i);
            int widthStart = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            String width = format.substring(widthStart, i);
            String precision = null;
            if (i < format.length() && format.charAt(i) == '.') {
                int p = ++i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                precision = format.substring(p, i);
            }
            if (i >= format.length()) {
                sb.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                sb.append('%');
                continue;
            }
            if (next >= args.length) {
                sb.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            sb.append(one(verb, flags, width, precision, args[next++]));
        }
        if (next < args.length) {
            sb.append("%!(EXTRA ");
            for (int k = next; k < args.length; k++) {
                sb.append(k > next ? ", " : "").append(GoValues.typeName(args[k])).append('=').append(GoValues.print(args[k]));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static String one(char verb, String flags, String width, String precision, Object v) {
        String intSpec = "%" + javaFlags(flags) + width;
        switch (verb) {
            case 'v' -> {
                return pad(v instanceof String s && precision != null ? cut(s, precision) : GoValues.print(v), flags, width);
            }
            case 's' -> {
                if (v instanceof String || v instanceof Boolean || v instanceof List<?> || v == null) {
                    String s = v instanceof String str ? str : GoValues.print(v);
                    return pad(precision != null ? cut(s, precision) : s, flags, width);
                }
            }
            case 'q' -> {
                if (v instanceof String s) {
                    return pad(GoValues.quote(s), flags, width);
                }
            }
            case 't' -> {
                if (v instanceof Boolean) {
                    return pad(v.toString(), flags, width);
                }
            }
            case 'd' -> {
                if (v instanceof Long) {
                    return String.format(intSpec + "d", v);
                }
            }
            case 'c' -> {
                if (v instanceof Long n) {
                    return pad(Character.toString(n.intValue()), flags, width);
                }
            }
            case 'o', 'b' -> {
                if (v instanceof Long n) {
                    return pad(verb == 'o' ? Long.toOctalString(n) : Long.toBinaryString(n), flags, width);
                }
            }
            case 'x', 'X' -> {
                String hex = null;
                if (v instanceof Long n) {
                    hex = (n < 0 ? "-" : "") + Long.toHexString(Math.abs(n));
                } else if (v instanceof String s) {
                    hex = HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
                }
                if (hex != null) {
                    hex = flags.contains("#") ? (hex.startsWith("-") ? "-0x" + hex.substring(1) : "0x" + hex) : hex;
                    return pad(verb == 'X' ? hex.toUpperCase() : hex, flags, width);
                }
            }
            case 'f', 'F', 'e', 'E' -> {
                if (v instanceof Double d) {
                    String digits = precision == null ? "6" : precision.isEmpty() ? "0" : precision;
                    char javaVerb = verb == 'E' ? 'E' : verb == 'F' ? 'f' : verb;
                    return String.format(Locale.ROOT, "%" + javaFlags(flags) + width + "." + digits + javaVerb, d);
                }
            }
            case 'g', 'G' -> {
                if (v instanceof Double d && precision == null) {
                    return pad(GoValues.formatFloat(d), flags, width);
                }
            }
            default -> {
                return "%!" + verb + "(" + GoValues.typeName(v) + "=" + GoValues.print(v) + ")";
            }
        }
        return "%!" + verb + "(" + GoValues.typeName(v) + "=" + GoValues.print(v) + ")";
    }

    /** Go's flags as java.util.Formatter takes them: no '#', and no '0' beside '-' nor ' ' beside '+' (Go ignores them there), each once. */
    private static String javaFlags(String flags) {
        String f = flags.replace("#", "");
        if (f.contains("-")) {
            f = f.replace("0", "");
        }
        if (f.contains("+")) {
            f = f.replace(" ", "");
        }
        return f.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String cut(String s, String precision) {
        int n = precision.isEmpty() ? 0 : Integer.parseInt(precision);
        return s.codePointCount(0, s.length()) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
    }

    private static String pad(String s, String flags, String width) {
        if (width.isEmpty()) {
            return s;
        }
        int w = Integer.parseInt(width);
        int len = s.codePointCount(0, s.length());
        if (len >= w) {
            return s;
        }
        String fill = " ".repeat(w - len);
        return flags.contains("-") ? s + fill : fill + s;
    }
}
