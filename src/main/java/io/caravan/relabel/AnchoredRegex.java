package io.caravan.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A relabel regex as Prometheus 3 compiles it: RE2 syntax, anchored at both ends and with '.' matching
 * newlines ({@code ^(?s:REGEX)$}). Common shapes (a literal, a list of literals, {@code .*}, {@code .+} and
 * their one-group forms) get a class of their own that gives the same answers without running the regex engine.
 */
public abstract class AnchoredRegex {

    /** Characters that make a regex more than a plain literal; anything else matches itself in RE2. */
    private static final String META = "\\.+*?()|[]{}^$";

    /** Slots in each general regex's memo of recent answers (see {@link MatchMemo}). */
    private static final int MEMO_SIZE = 256;

    private final String source;

    AnchoredRegex(String source) {
        this.source = source;
    }

    /** Compiles a regex, choosing a fast shape when one gives identical results. */
    public static AnchoredRegex compile(String source) {
        switch (source) {
            case ".*":
                return new AnyString(source, false);
            case "(.*)":
                return new AnyString(source, true);
            case ".+":
                return new NonEmptyString(source, false);
            case "(.+)":
                return new NonEmptyString(source, true);
            default:
                break;
        }
        if (isLiteralAlternation(source)) {
            return source.indexOf('|') < 0 ? new Literal(source) : new LiteralSet(source);
        }
        return new Re2(source);
    }

    private static boolean isLiteralAlternation(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '|' && META.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The regex as written in the rule, without the anchoring. */
    public final String source() {
        return source;
    }

    /** Whether the whole of {@code s} matches. */
    public abstract boolean matches(String s);

    /**
     * Matches the whole of {@code s}; on success fills {@code spans} with start/end pairs for group 0..groupCount
     * (-1 for a group that did not take part) and returns true.
     */
    abstract boolean match(String s, int[] spans);

    /** Number of capturing groups. */
    public abstract int groupCount();

    /** Named groups and their numbers. */
    Map<String, Integer> groupNames() {
        return Collections.emptyMap();
    }

    /** Whether group {@code g}, after a successful match, is always the whole input (group 0 always is). */
    boolean groupIsWhole(int g) {
        return g == 0;
    }

    @Override
    public String toString() {
        return source;
    }

    /** Any regex, run by re2j. */
    static final class Re2 extends AnchoredRegex {
        private final Pattern pattern;
        private final int groups;
        private final Map<String, Integer> names;
        private final MatchMemo memo = new MatchMemo(MEMO_SIZE);
        /** True when the anchors wrap the whole regex, so a whole-string match equals Go's search. */
        private final boolean wrapsWhole;

        Re2(String source) {
            super(source);
            try {
                pattern = Pattern.compile("^(?s:" + source + ")$");
            } catch (PatternSyntaxException e) {
                throw new RelabelConfigException("invalid regex \"" + source + "\": " + e.getMessage()
                        + ". Relabel regexes use RE2 syntax, as in Prometheus: no backreferences (\\1), no lookaround"
                        + " ((?=...), (?!...), (?<=...)), no possessive or atomic groups, no \\Z; rewrite the regex"
                        + " without them.");
            }
            groups = pattern.groupCount();
            names = pattern.namedGroups();
            wrapsWhole = compilesAlone(source);
        }

        /**
         * Prometheus pastes the regex into "^(?s:" + regex + ")$" and then searches. When the regex has unbalanced
         * parentheses, e.g. "a)|(b", the paste is "^(?s:a)|(b)$", anchored only in parts; a search then differs
         * from a whole-string match. Such a regex does not compile on its own, which is how it is recognised.
         */
        private static boolean compilesAlone(String source) {
            try {
                Pattern.compile(source);
                return true;
            } catch (PatternSyntaxException e) {
                return false;
            }
        }

        @Override
        public boolean matches(String s) {
            MatchMemo.Entry e = memo.get(s);
            if (e != null) {
                return e.matched;
            }
            boolean matched = wrapsWhole ? pattern.matches(s) : pattern.matcher(s).find();
            memo.put(s, matched, null);
            return matched;
        }

        @Override
        boolean match(String s, int[] spans) {
            MatchMemo.Entry e = memo.get(s);
            if (e != null && (!e.matched || e.spans != null)) {
                if (e.matched) {
                    System.arraycopy(e.spans, 0, spans, 0, e.spans.length);
                }
                return e.matched;
            }
            Matcher m = pattern.matcher(s);
            if (!(wrapsWhole ? m.matches() : m.find())) {
                memo.put(s, false, null);
                return false;
            }
            int[] found = new int[(groups + 1) << 1];
            for (int g = 0; g <= groups; g++) {
                found[g << 1] = m.start(g);
                found[(g << 1) + 1] = m.end(g);
            }
            memo.put(s, true, found);
            System.arraycopy(found, 0, spans, 0, found.length);
            return true;
        }

        @Override
        public int groupCount() {
            return groups;
        }

        @Override
        Map<String, Integer> groupNames() {
            return names;
        }

        @Override
        boolean groupIsWhole(int g) {
            return g == 0 && wrapsWhole;
        }
    }

    /** No metacharacters at all: a full match is string equality. */
    static final class Literal extends AnchoredRegex {
        private final String literal;

        Literal(String literal) {
            super(literal);
            this.literal = literal;
        }

        @Override
        public boolean matches(String s) {
            return literal.equals(s);
        }

        @Override
        boolean match(String s, int[] spans) {
            if (!literal.equals(s)) {
                return false;
            }
            spans[0] = 0;
            spans[1] = s.length();
            return true;
        }

        @Override
        public int groupCount() {
            return 0;
        }
    }

    /** {@code a|b|c} of plain literals: a full match is membership (an empty alternative matches ""). */
    static final class LiteralSet extends AnchoredRegex {
        private final String[] small;
        private final Set<String> large;

        LiteralSet(String source) {
            super(source);
            String[] parts = splitOnBar(source);
            if (parts.length <= 8) {
                small = parts;
                large = null;
            } else {
                small = null;
                large = new HashSet<>(java.util.Arrays.asList(parts));
            }
        }

        private static String[] splitOnBar(String s) {
            int count = 1;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '|') {
                    count++;
                }
            }
            String[] parts = new String[count];
            int start = 0;
            int k = 0;
            for (int i = 0; i <= s.length(); i++) {
                if (i == s.length() || s.charAt(i) == '|') {
                    parts[k++] = s.substring(start, i);
                    start = i + 1;
                }
            }
            return parts;
        }

        @Override
        public boolean matches(String s) {
            if (large != null) {
                return large.contains(s);
            }
            for (String p : small) {
                if (p.equals(s)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean match(String s, int[] spans) {
            if (!matches(s)) {
                return false;
            }
            spans[0] = 0;
            spans[1] = s.length();
            return true;
        }

        @Override
        public int groupCount() {
            return 0;
        }
    }

    /** {@code .*} or {@code (.*)}: with (?s) every string matches, and the group is the whole string. */
    static final class AnyString extends AnchoredRegex {
        private final boolean captured;

        AnyString(String source, boolean captured) {
            super(source);
            this.captured = captured;
        }

        @Override
        public boolean matches(String s) {
            return true;
        }

        @Override
        boolean match(String s, int[] spans) {
            spans[0] = 0;
            spans[1] = s.length();
            if (captured) {
                spans[2] = 0;
                spans[3] = s.length();
            }
            return true;
        }

        @Override
        public int groupCount() {
            return captured ? 1 : 0;
        }

        @Override
        boolean groupIsWhole(int g) {
            return g == 0 || (captured && g == 1);
        }
    }

    /** {@code .+} or {@code (.+)}: with (?s) every non-empty string matches, and the group is the whole string. */
    static final class NonEmptyString extends AnchoredRegex {
        private final boolean captured;

        NonEmptyString(String source, boolean captured) {
            super(source);
            this.captured = captured;
        }

        @Override
        public boolean matches(String s) {
            return !s.isEmpty();
        }

        @Override
        boolean match(String s, int[] spans) {
            if (s.isEmpty()) {
                return false;
            }
            spans[0] = 0;
            spans[1] = s.length();
            if (captured) {
                spans[2] = 0;
                spans[3] = s.length();
            }
            return true;
        }

        @Override
        public int groupCount() {
            return captured ? 1 : 0;
        }

        @Override
        boolean groupIsWhole(int g) {
            return g == 0 || (captured && g == 1);
        }
    }
}
