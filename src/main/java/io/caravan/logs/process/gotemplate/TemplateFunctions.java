package io.caravan.logs.process.gotemplate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The functions a stage template can call, by name: Go's builtins (and/or are the executor's: they stop early),
 * the ones Alloy adds for stage.template and stage.replace (ToLower ... regexReplaceAllLiteral), and the string,
 * math, default and encoding functions of sprig that log templates use. Each checks its arguments as Go would:
 * a string parameter takes a string only, and a missing key is refused where a value is needed.
 */
final class TemplateFunctions {

    /** One function: how many arguments it takes (max -1: any number from min) and what it does. */
    record Function(int min, int max, Body body) {
    }

    @FunctionalInterface
    interface Body {
        Object call(Object[] args) throws GoTemplate.ExecutionError;
    }

    /** Names the executor handles itself, because they do not evaluate every argument. */
    static final Set<String> SHORT_CIRCUIT = Set.of("and", "or");

    private static final Map<String, Function> ALL = new HashMap<>();
    private static final Set<String> NAMES;

    static {
        goBuiltins();
        alloy();
        sprigStrings();
        sprigMathAndConversions();
        sprigDefaultsAndEncodings();
        Set<String> names = new HashSet<>(ALL.keySet());
        names.addAll(SHORT_CIRCUIT);
        NAMES = Set.copyOf(names);
    }

    private TemplateFunctions() {
    }

    static Function named(String name) {
        return ALL.get(name);
    }

    /** Every name a template may call, for the parser. */
    static Set<String> names() {
        return NAMES;
    }

    private static void define(String name, int min, int max, Body body) {
        ALL.put(name, new Function(min, max, body));
    }

    // ---- Go's text/template builtins ----

    private static void goBuiltins() {
        define("not", 1, 1, a -> !GoValues.isTrue(a[0]));
        define("len", 1, 1, a -> {
            if (a[0] instanceof String s) {
                return (long) GoValues.byteLength(s);
            }
            if (a[0] instanceof List<?> l) {
                return (long) l.size();
            }
            if (a[0] instanceof Map<?, ?> m) {
                return (long) m.size();
            }
            throw new GoTemplate.ExecutionError("len of " + GoValues.typeName(a[0]));
        });
        define("index", 1, -1, TemplateFunctions::index);
        define("print", 0, -1, a -> GoFormat.sprint(a));
        define("println", 0, -1, a -> GoFormat.sprintln(a));
        define("printf", 1, -1, a -> GoFormat.sprintf(string(a, 0), Arrays.copyOfRange(a, 1, a.length)));
        define("eq", 2, -1, a -> {
            for (int i = 1; i < a.length; i++) {
                if (compare(a[0], a[i], true) == 0) {
                    return true;
                }
            }
            return false;
        });
        define("ne", 2, 2, a -> compare(a[0], a[1], true) != 0);
        define("lt", 2, 2, a -> compare(a[0], a[1], false) < 0);
        define("le", 2, 2, a -> compare(a[0], a[1], false) <= 0);
        define("gt", 2, 2, a -> compare(a[0], a[1], false) > 0);
        define("ge", 2, 2, a -> compare(a[0], a[1], false) >= 0);
    }

    private static Object index(Object[] a) throws GoTemplate.ExecutionError {
        Object item = a[0];
        for (int i = 1; i < a.length; i++) {
            Object key = a[i];
            if (item instanceof List<?> l && key instanceof Long n) {
                if (n < 0 || n >= l.size()) {
                    throw new GoTemplate.ExecutionError("index out of range: " + n);
                }
                item = l.get(n.intValue());
            } else if (item instanceof Map<?, ?> m && key instanceof String k) {
                item = m.containsKey(k) ? m.get(k) : null;
            } else if (item instanceof String s && key instanceof Long n) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                if (n < 0 || n >= bytes.length) {
                    throw new GoTemplate.ExecutionError("index out of range: " + n);
                }
                item = (long) (bytes[n.intValue()] & 0xff);
            } else {
                throw new GoTemplate.ExecutionError("can't index item of type " + GoValues.typeName(item)
                        + " with " + GoValues.typeName(key));
            }
        }
        return item;
    }

    /**
     * Go's comparison: both of one basic kind (bool, int, float, string), else an error; bools and nil only for
     * equality. Returns the order, or 0/1 for equal/not equal.
     */
    private static int compare(Object x, Object y, boolean equality) throws GoTemplate.ExecutionError {
        if (x == GoValues.NO_VALUE || y == GoValues.NO_VALUE) {
            throw new GoTemplate.ExecutionError("invalid value for comparison: a key the data does not have");
        }
        if (equality && (x == null || y == null)) {
            return x == y ? 0 : 1;
        }
        if (x instanceof String a && y instanceof String b) {
            return Integer.signum(a.compareTo(b));
        }
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        if (x instanceof Double a && y instanceof Double b) {
            return Double.compare(a, b);
        }
        if (equality && x instanceof Boolean a && y instanceof Boolean b) {
            return a.equals(b) ? 0 : 1;
        }
        if (x != null && y != null && x.getClass() == y.getClass()) {
            throw new GoTemplate.ExecutionError("invalid type for comparison: " + GoValues.typeName(x));
        }
        throw new GoTemplate.ExecutionError("incompatible types for comparison: " + GoValues.typeName(x)
                + " and " + GoValues.typeName(y));
    }

    // ---- Alloy's own, as its stage.template documents them ----

    private static void alloy() {
        define("ToLower", 1, 1, a -> string(a, 0).toLowerCase(Locale.ROOT));
        define("ToUpper", 1, 1, a -> string(a, 0).toUpperCase(Locale.ROOT));
        define("Replace", 4, 4, a -> replace(string(a, 0), string(a, 1), string(a, 2), integer(a, 3)));
        define("Trim", 2, 2, a -> trimRight(trimLeft(string(a, 0), string(a, 1)), string(a, 1)));
        define("TrimLeft", 2, 2, a -> trimLeft(string(a, 0), string(a, 1)));
        define("TrimRight", 2, 2, a -> trimRight(string(a, 0), string(a, 1)));
        define("TrimPrefix", 2, 2, a -> trimPrefix(string(a, 0), string(a, 1)));
        define("TrimSuffix", 2, 2, a -> trimSuffix(string(a, 0), string(a, 1)));
        define("TrimSpace", 1, 1, a -> string(a, 0).strip());
        // Alloy hashes the two arguments joined in the order written: Hash .Value "salt" is sha3(value + "salt")
        define("Hash", 2, 2, a -> hex("SHA3-256", string(a, 0) + string(a, 1)));
        define("Sha2Hash", 2, 2, a -> hex("SHA-256", string(a, 0) + string(a, 1)));
        define("regexReplaceAll", 3, 3, a -> GoRegexp.replaceAll(regex(string(a, 0)), string(a, 1), string(a, 2), false));
        define("regexReplaceAllLiteral", 3, 3, a -> GoRegexp.replaceAll(regex(string(a, 0)), string(a, 1), string(a, 2), true));
    }

    /** strings.Replace: up to n non-overlapping instances (all when n is negative); "" matches around each character. */
    static String replace(String s, String old, String with, long n) {
        if (n == 0 || (old.equals(with))) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        long done = 0;
        if (old.isEmpty()) {
            int i = 0;
            while (i <= s.length() && (n < 0 || done < n)) {
                sb.append(with);
                done++;
                if (i == s.length()) {
                    return sb.toString();
                }
                int cp = s.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            return sb.append(s, i, s.length()).toString();
        }
        while (n < 0 || done < n) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(with);
            from = at + old.length();
            done++;
        }
        return sb.append(s, from, s.length()).toString();
    }

    static String trimLeft(String s, String cutset) {
        int i = 0;
        while (i < s.length() && cutset.indexOf(s.codePointAt(i)) >= 0) {
            i += Character.charCount(s.codePointAt(i));
        }
        return s.substring(i);
    }

    static String trimRight(String s, String cutset) {
        int end = s.length();
        while (end > 0 && cutset.indexOf(s.codePointBefore(end)) >= 0) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(0, end);
    }

    private static String trimPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    private static String trimSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static String hex(String algorithm, String input) throws GoTemplate.ExecutionError {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new GoTemplate.ExecutionError(algorithm + " is not available in this JVM");
        }
    }

    private static Pattern regex(String expression) throws GoTemplate.ExecutionError {
        try {
            return Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw new GoTemplate.ExecutionError("invalid regular expression: " + e.getMessage());
        }
    }

    // ---- sprig: strings ----

    private static void sprigStrings() {
        define("upper", 1, 1, a -> string(a, 0).toUpperCase(Locale.ROOT));
        define("lower", 1, 1, a -> string(a, 0).toLowerCase(Locale.ROOT));
        define("title", 1, 1, a -> title(string(a, 0)));
        define("trim", 1, 1, a -> string(a, 0).strip());
        define("trimAll", 2, 2, a -> trimRight(trimLeft(string(a, 1), string(a, 0)), string(a, 0)));
        define("trimPrefix", 2, 2, a -> trimPrefix(string(a, 1), string(a, 0)));
        define("trimSuffix", 2, 2, a -> trimSuffix(string(a, 1), string(a, 0)));
        define("replace", 3, 3, a -> replace(string(a, 2), string(a, 0), string(a, 1), -1));
        define("contains", 2, 2, a -> string(a, 1).contains(string(a, 0)));
        define("hasPrefix", 2, 2, a -> string(a, 1).startsWith(string(a, 0)));
        define("hasSuffix", 2, 2, a -> string(a, 1).endsWith(string(a, 0)));
        define("repeat", 2, 2, a -> string(a, 1).repeat((int) Math.max(0, integer(a, 0))));
        define("nospace", 1, 1, a -> string(a, 0).replaceAll("\\s+", ""));
        define("trunc", 2, 2, a -> trunc(string(a, 1), integer(a, 0)));
        define("substr", 3, 3, a -> substr(string(a, 2), integer(a, 0), integer(a, 1)));
        define("quote", 0, -1, a -> joinNonNil(a, true));
        define("squote", 0, -1, a -> {
            List<String> out = new ArrayList<>();
            for (Object v : a) {
                if (v != null) {
                    out.add("'" + strval(v) + "'");
                }
            }
            return String.join(" ", out);
        });
        define("cat", 0, -1, a -> joinNonNil(a, false));
        define("splitList", 2, 2, a -> List.<Object>copyOf(List.of(splitAll(string(a, 1), string(a, 0)))));
        define("join", 2, 2, a -> {
            List<String> parts = new ArrayList<>();
            if (a[1] instanceof List<?> l) {
                for (Object v : l) {
                    if (v != null) {
                        parts.add(strval(v));
                    }
                }
            } else if (a[1] != null) {
                parts.add(strval(a[1]));
            }
            return String.join(string(a, 0), parts);
        });
        define("regexMatch", 2, 2, a -> {
            try {
                return Pattern.compile(string(a, 0)).matcher(string(a, 1)).find();
            } catch (PatternSyntaxException e) {
                return false; // sprig's regexMatch reads a bad expression as no match
            }
        });
        define("regexFind", 2, 2, a -> {
            var m = regex(string(a, 0)).matcher(string(a, 1));
            return m.find() ? m.group() : "";
        });
        define("regexQuoteMeta", 1, 1, a -> Pattern.quote(string(a, 0)));
    }

    /** strings.Title: the first letter of every word in upper case. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean atStart = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(atStart ? Character.toTitleCase(cp) : cp);
            atStart = !(Character.isLetterOrDigit(cp) || cp == '_');
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static String trunc(String s, long n) {
        if (n < 0 && s.length() + n > 0) {
            return s.substring((int) (s.length() + n));
        }
        if (n >= 0 && s.length() > n) {
            return s.substring(0, (int) n);
        }
        return s;
    }

    private static String substr(String s, long start, long end) throws GoTemplate.ExecutionError {
        try {
            if (start < 0) {
                return s.substring(0, (int) end);
            }
            if (end < 0 || end > s.length()) {
                return s.substring((int) start);
            }
            return s.substring((int) start, (int) end);
        } catch (IndexOutOfBoundsException e) {
            throw new GoTemplate.ExecutionError("substr: slice bounds out of range [" + start + ":" + end + "]");
        }
    }

    private static String joinNonNil(Object[] a, boolean quoted) {
        List<String> out = new ArrayList<>();
        for (Object v : a) {
            if (v != null && v != GoValues.NO_VALUE) {
                out.add(quoted ? GoValues.quote(strval(v)) : strval(v));
            }
        }
        return String.join(" ", out);
    }

    /** strings.Split: every separator splits; "" splits into characters. */
    private static String[] splitAll(String s, String sep) {
        if (sep.isEmpty()) {
            return s.codePoints().mapToObj(Character::toString).toArray(String[]::new);
        }
        return s.split(java.util.regex.Pattern.quote(sep), -1);
    }

    /** sprig's strval: strings as they are, anything else as fmt's %v. */
    private static String strval(Object v) {
        return v instanceof String s ? s : GoValues.print(v);
    }

    // ---- sprig: math and conversions, on int64 as sprig's are ----

    private static void sprigMathAndConversions() {
        define("add", 0, -1, a -> {
            long sum = 0;
            for (Object v : a) {
                sum += toInt64(v);
            }
            return sum;
        });
        define("add1", 1, 1, a -> toInt64(a[0]) + 1);
        define("sub", 2, 2, a -> toInt64(a[0]) - toInt64(a[1]));
        define("mul", 1, -1, a -> {
            long product = 1;
            for (Object v : a) {
                product *= toInt64(v);
            }
            return product;
        });
        define("div", 2, 2, a -> {
            long d = toInt64(a[1]);
            if (d == 0) {
                throw new GoTemplate.ExecutionError("div: integer divide by zero");
            }
            return toInt64(a[0]) / d;
        });
        define("mod", 2, 2, a -> {
            long d = toInt64(a[1]);
            if (d == 0) {
                throw new GoTemplate.ExecutionError("mod: integer divide by zero");
            }
            return toInt64(a[0]) % d;
        });
        define("max", 1, -1, a -> {
            long m = toInt64(a[0]);
            for (Object v : a) {
                m = Math.max(m, toInt64(v));
            }
            return m;
        });
        define("min", 1, -1, a -> {
            long m = toInt64(a[0]);
            for (Object v : a) {
                m = Math.min(m, toInt64(v));
            }
            return m;
        });
        define("atoi", 1, 1, a -> {
            try {
                return Long.parseLong(string(a, 0));
            } catch (NumberFormatException e) {
                return 0L;
            }
        });
        define("int", 1, 1, a -> toInt64(a[0]));
        define("int64", 1, 1, a -> toInt64(a[0]));
        define("float64", 1, 1, a -> toFloat64(a[0]));
        define("toString", 1, 1, a -> strval(a[0]));
    }

    /** sprig's toInt64 (spf13/cast): numbers truncated, strings parsed (0 when they do not read), true is 1. */
    static long toInt64(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Long.decode(s.endsWith(".0") ? s.substring(0, s.length() - 2) : s);
            } catch (NumberFormatException e) {
                return 0L;
            }
        }
        return 0L;
    }

    private static double toFloat64(Object v) {
        if (v instanceof Long l) {
            return l.doubleValue();
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return 0.0;
            }
        }
        return 0.0;
    }

    // ---- sprig: defaults and encodings ----

    private static void sprigDefaultsAndEncodings() {
        define("default", 1, -1, a -> a.length < 2 || isEmpty(a[1]) ? a[0] : a[1]);
        define("empty", 1, 1, a -> isEmpty(a[0]));
        define("coalesce", 0, -1, a -> {
            for (Object v : a) {
                if (!isEmpty(v)) {
                    return v;
                }
            }
            return null;
        });
        define("ternary", 3, 3, a -> {
            if (!(a[2] instanceof Boolean b)) {
                throw new GoTemplate.ExecutionError("ternary: wrong type for value; expected bool; got " + GoValues.typeName(a[2]));
            }
            return b ? a[0] : a[1];
        });
        define("b64enc", 1, 1, a -> Base64.getEncoder().encodeToString(string(a, 0).getBytes(StandardCharsets.UTF_8)));
        define("b64dec", 1, 1, a -> {
            try {
                return new String(Base64.getDecoder().decode(string(a, 0)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "illegal base64 data"; // sprig returns its decoder's error as the text
            }
        });
        define("sha1sum", 1, 1, a -> hex("SHA-1", string(a, 0)));
        define("sha256sum", 1, 1, a -> hex("SHA-256", string(a, 0)));
    }

    /** sprig's empty: nil, a missing key, false, 0, "" and empty lists and maps. */
    private static boolean isEmpty(Object v) {
        return !GoValues.isTrue(v);
    }

    // ---- argument types ----

    /** A string parameter: Go passes no other type to it, and a missing key is no value at all. */
    static String string(Object[] a, int i) throws GoTemplate.ExecutionError {
        if (a[i] instanceof String s) {
            return s;
        }
        throw wrongType(a[i], "string", i);
    }

    static long integer(Object[] a, int i) throws GoTemplate.ExecutionError {
        if (a[i] instanceof Long n) {
            return n;
        }
        throw wrongType(a[i], "int", i);
    }

    private static GoTemplate.ExecutionError wrongType(Object v, String expected, int i) {
        if (v == GoValues.NO_VALUE) {
            return new GoTemplate.ExecutionError("argument " + (i + 1) + " is a key the data does not have; expected " + expected);
        }
        return new GoTemplate.ExecutionError("argument " + (i + 1) + " has the wrong type: expected " + expected
                + ", got " + GoValues.typeName(v));
    }
}
