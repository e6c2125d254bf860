package io.caravan.logs.process;

import com.google.re2j.Pattern;
import io.caravan.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The part of LogQL a match stage takes: a stream selector {@code {a="b", c!="d", e=~"x.*", f!~"y"}}
 * (Prometheus matchers; regexes anchored, a missing label reads as "") followed by optional line
 * filters {@code |= "text"}, {@code != "text"}, {@code |~ "re"}, {@code !~ "re"} (regexes unanchored).
 * Strings are Go strings: double-quoted with escapes, or back-quoted raw.
 */
final class LogSelector {

    private record Matcher(String name, String op, String value, Pattern regex) {
        boolean matches(String v) {
            return switch (op) {
                case "=" -> v.equals(value);
                case "!=" -> !v.equals(value);
                case "=~" -> regex.matches(v);
                default -> !regex.matches(v);
            };
        }
    }

    private final List<Matcher> matchers;
    private final List<Predicate<String>> filters;

    private LogSelector(List<Matcher> matchers, List<Predicate<String>> filters) {
        this.matchers = matchers;
        this.filters = filters;
    }

    boolean matches(Labels.Builder labels, String line) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.getOrEmpty(m.name()))) {
                return false;
            }
        }
        for (Predicate<String> f : filters) {
            if (!f.test(line)) {
                return false;
            }
        }
        return true;
    }

    static LogSelector parse(String text) {
        Lexer lx = new Lexer(text);
        lx.spaces();
        lx.expect('{');
        List<Matcher> matchers = new ArrayList<>();
        lx.spaces();
        if (lx.peek() != '}') {
            while (true) {
                lx.spaces();
                String name = lx.identifier();
                lx.spaces();
                String op = lx.operator("=~", "!~", "!=", "=");
                lx.spaces();
                String value = lx.string();
                Pattern re = op.contains("~") ? Regexes.compile("selector", "^(?:" + value + ")$") : null;
                matchers.add(new Matcher(name, op, value, re));
                lx.spaces();
                if (lx.peek() == ',') {
                    lx.pos++;
                    continue;
                }
                break;
            }
        }
        lx.expect('}');
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a selector needs at least one matcher, like {app=\"x\"}");
        }
        if (matchers.stream().allMatch(m -> m.matches(""))) {
            throw new IllegalArgumentException("the selector matches every stream (each matcher accepts an empty value); LogQL refuses it");
        }
        List<Predicate<String>> filters = new ArrayList<>();
        while (true) {
            lx.spaces();
            if (lx.pos >= text.length()) {
                break;
            }
            String op = lx.operator("|=", "!=", "|~", "!~");
            lx.spaces();
            String value = lx.string();
            switch (op) {
                case "|=" -> filters.add(l -> l.contains(value));
                case "!=" -> filters.add(l -> !l.contains(value));
                case "|~" -> {
                    Pattern p = Regexes.compile("line filter", value);
                    filters.add(l -> p.matcher(l).find());
                }
                default -> {
                    Pattern p = Regexes.compile("line filter", value);
                    filters.add(l -> !p.matcher(l).find());
                }
            }
        }
        return new LogSelector(List.copyOf(matchers), List.copyOf(filters));
    }

    private static final class Lexer {
        final String s;
        int pos;

        Lexer(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void spaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("invalid selector at position " + (pos + 1) + ": expected " + what
                    + " in " + s + " (write it like {app=\"api\", level=~\"warn|error\"} |= \"text\")");
        }

        void expect(char c) {
            if (peek() != c) {
                throw bad("'" + c + "'");
            }
            pos++;
        }

        String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String id = s.substring(start, pos);
            if (!LabelNames.isValid(id)) {
                pos = start;
                throw bad("a label name");
            }
            return id;
        }

        String operator(String... ops) {
            for (String op : ops) {
                if (s.startsWith(op, pos)) {
                    pos += op.length();
                    return op;
                }
            }
            throw bad("one of " + String.join(" ", ops));
        }

        String string() {
            char q = peek();
            if (q == '`') {
                int end = s.indexOf('`', pos + 1);
                if (end < 0) {
                    throw bad("a closing `");
                }
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (q != '"') {
                throw bad("a quoted string");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case '\'' -> sb.append('\'');
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'v' -> sb.append('\u000b');
                    case 'x' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 2), 16));
                        pos += 2;
                    }
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw bad("a valid escape (\\" + e + " is not one)");
                }
            }
            throw bad("a closing \"");
        }
    }
}
