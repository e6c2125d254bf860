package io.caravan.logs.process;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Arrays;

/**
 * The json stage's fast path when every expression is a plain dotted path, hand-written over the line's chars
 * because it is the audit pipeline's hot spot: a tokenizer (Jackson's, before this) canonicalised every field
 * name and walked every value into tokens, ~30% of the audit run's reading thread in the JFR profile. This pass
 * still checks the whole line is one JSON object as Go's encoding/json does (strict grammar, no control chars
 * in strings, nesting up to Go's 10000), but compares field names in place, descends only into the objects the
 * paths name and skips everything else at the speed of a char loop. It gives what the tree walk gives: a
 * repeated key replaces what the earlier one gave, a path through a non-object finds nothing, an object or
 * array a path ends at is stored as its JSON text (read as a tree: rare).
 */
final class JsonPathScanner {

    private static final int MAX_DEPTH = 10_000; // Go's encoding/json refuses deeper nesting

    /** One step of the paths: the names under it, and which paths end here or go deeper. */
    private static final class Node {
        String[] names = new String[0];
        Node[] children = new Node[0];
        int[] ends = new int[0];   // paths that end here
        int[] under = new int[0];  // paths that end here or deeper

        Node find(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return children[i];
                }
            }
            return null;
        }

        Node child(String name) {
            Node found = find(name);
            if (found != null) {
                return found;
            }
            Node n = new Node();
            names = Arrays.copyOf(names, names.length + 1);
            children = Arrays.copyOf(children, children.length + 1);
            names[names.length - 1] = name;
            children[children.length - 1] = n;
            return n;
        }

        boolean leaf() {
            return names.length == 0;
        }
    }

    /** Malformed input: the line is not one JSON object. Thrown without a stack (it is control flow, per bad line). */
    private static final class Malformed extends Exception {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super(null, null, false, false);
        }
    }

    private final Node root = new Node();
    private final String[][] paths;

    JsonPathScanner(String[][] paths) {
        this.paths = paths;
        for (int i = 0; i < paths.length; i++) {
            Node n = root;
            for (String step : paths[i]) {
                n = n.child(step);
                n.under = append(n.under, i);
            }
            n.ends = append(n.ends, i);
        }
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** The steps of a plain dotted path of unquoted JMESPath identifiers, or null for anything else. */
    static String[] plainPath(String expression) {
        String[] steps = expression.split("\\.", -1);
        for (String s : steps) {
            if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
                return null;
            }
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    return null;
                }
            }
        }
        return steps;
    }

    /** One value per path (see {@link JsonStage#value}), or null when the input is not one JSON object. */
    Object[] scan(String input) {
        Object[] out = new Object[paths.length];
        Arrays.fill(out, Extracted.NULL);
        try {
            Cursor c = new Cursor(input);
            c.blanks();
            c.expect('{');
            object(c, root, out, 1);
            c.blanks();
            if (c.pos != c.end) {
                return null; // trailing content: Go's Unmarshal refuses it
            }
            return out;
        } catch (Malformed malformed) {
            return null;
        }
    }

    /** Reads an object's members after its '{', up to and including its '}'. */
    private void object(Cursor c, Node node, Object[] out, int depth) throws Malformed {
        c.blanks();
        if (c.peek() == '}') {
            c.pos++;
            return;
        }
        while (true) {
            c.blanks();
            Node child = c.name(node);
            c.blanks();
            c.expect(':');
            c.blanks();
            if (child == null) {
                c.skipValue(depth);
            } else {
                member(c, child, out, depth);
            }
            c.blanks();
            char next = c.next();
            if (next == '}') {
                return;
            }
            if (next != ',') {
                throw Malformed.INSTANCE;
            }
        }
    }

    private void member(Cursor c, Node child, Object[] out, int depth) throws Malformed {
        for (int i : child.under) {
            out[i] = Extracted.NULL; // a repeated key starts over
        }
        char first = c.peek();
        if (first == '{' || first == '[') {
            if (child.ends.length > 0) {
                int start = c.pos;
                c.skipValue(depth);
                fromTree(new String(c.text, start, c.pos - start), child, out);
            } else if (first == '{') {
                c.pos++;
                if (depth >= MAX_DEPTH) {
                    throw Malformed.INSTANCE;
                }
                object(c, child, out, depth + 1);
            } else {
                c.skipValue(depth); // an array: the paths go through objects only
            }
            return;
        }
        Object scalar = c.scalar();
        for (int i : child.ends) {
            out[i] = scalar;
        }
    }

    /** An object or array a path ends at: its JSON text for that path, and what deeper paths find in it. */
    private void fromTree(String json, Node child, Object[] out) throws Malformed {
        JsonNode tree;
        try {
            tree = JsonStage.MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            throw Malformed.INSTANCE;
        }
        for (int i : child.under) {
            JsonNode r = tree;
            for (int s = depthOf(child, i); s < paths[i].length && r != null; s++) {
                r = r.isObject() ? r.get(paths[i][s]) : null;
            }
            out[i] = JsonStage.value(r);
        }
    }

    private int depthOf(Node child, int pathIndex) {
        Node n = root;
        String[] steps = paths[pathIndex];
        for (int s = 0; s < steps.length; s++) {
            n = n.find(steps[s]);
            if (n == child) {
                return s + 1;
            }
        }
        return steps.length;
    }

    /** Per thread, the line's chars: a loop over an array is what makes this faster than String.charAt's checks. */
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[4096]);

    /** A position in the line's chars, and JSON's grammar read from there. */
    private static final class Cursor {
        final char[] text;
        final int end;
        int pos;

        Cursor(String line) {
            char[] buf = CHARS.get();
            if (buf.length < line.length()) {
                buf = new char[Math.max(line.length(), buf.length * 2)];
                if (buf.length <= 1 << 20) {
                    CHARS.set(buf); // a huge line keeps its own buffer, not the thread's
                }
            }
            line.getChars(0, line.length(), buf, 0);
            this.text = buf;
            this.end = line.length();
        }

        char peek() throws Malformed {
            if (pos >= end) {
                throw Malformed.INSTANCE;
            }
            return text[pos];
        }

        char next() throws Malformed {
            char ch = peek();
            pos++;
            return ch;
        }

        void expect(char ch) throws Malformed {
            if (next() != ch) {
                throw Malformed.INSTANCE;
            }
        }

        void blanks() {
            while (pos < end) {
                char ch = text[pos];
                if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
                    return;
                }
                pos++;
            }
        }

        /** A member's name, matched against the node's children in place; null when no path goes there. */
        Node name(Node node) throws Malformed {
            expect('"');
            int start = pos;
            boolean escaped = skipStringBody();
            if (node.leaf()) {
                return null;
            }
            int len = pos - 1 - start;
            if (escaped) {
                return node.find(decode(start, pos - 1));
            }
            for (int i = 0; i < node.names.length; i++) {
                String n = node.names[i];
                if (n.length() == len && sameChars(start, n)) {
                    return node.children[i];
                }
            }
            return null;
        }

        private boolean sameChars(int start, String name) {
            for (int k = 0; k < name.length(); k++) {
                if (text[start + k] != name.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /** After the opening quote: to just past the closing one; true when the string holds escapes. */
        boolean skipStringBody() throws Malformed {
            char[] t = text;
            int p = pos;
            int e = end;
            boolean escaped = false;
            while (p < e) {
                char ch = t[p++];
                if (ch > '\\') {
                    continue; // lower-case letters and above: one comparison for most of a string's chars
                }
                if (ch == '"') {
                    pos = p;
                    return escaped;
                }
                if (ch == '\\') {
                    escaped = true;
                    if (p >= e) {
                        break;
                    }
                    char x = t[p++];
                    if (x == 'u') {
                        if (p + 4 > e) {
                            break;
                        }
                        for (int k = 0; k < 4; k++) {
                            if (Character.digit(t[p++], 16) < 0) {
                                throw Malformed.INSTANCE;
                            }
                        }
                    } else if (x != '"' && x != '\\' && x != '/' && x != 'b' && x != 'f' && x != 'n' && x != 'r' && x != 't') {
                        throw Malformed.INSTANCE;
                    }
                } else if (ch < 0x20) {
                    throw Malformed.INSTANCE; // control characters must be escaped
                }
            }
            throw Malformed.INSTANCE; // the line ends inside the string
        }

        /** A string, number, true, false or null at pos, as the extracted map holds it. */
        Object scalar() throws Malformed {
            char ch = peek();
            if (ch == '"') {
                pos++;
                int start = pos;
                boolean escaped = skipStringBody();
                return escaped ? decode(start, pos - 1) : new String(text, start, pos - 1 - start);
            }
            if (ch == '-' || (ch >= '0' && ch <= '9')) {
                int start = pos;
                boolean exponent = skipNumber();
                if (!exponent && pos - start <= 15) {
                    Double small = smallInteger(start, pos);
                    if (small != null) {
                        return small;
                    }
                }
                double d = Double.parseDouble(new String(text, start, pos - start));
                if (Double.isInfinite(d)) {
                    throw Malformed.INSTANCE; // Go cannot hold it in a float64: Unmarshal fails
                }
                return d;
            }
            if (literal("true")) {
                return Boolean.TRUE;
            }
            if (literal("false")) {
                return Boolean.FALSE;
            }
            if (literal("null")) {
                return Extracted.NULL;
            }
            throw Malformed.INSTANCE;
        }

        /**
         * A number of at most 15 chars without fraction or exponent, as the double it is exactly (no string, no
         * FloatingDecimal: status codes and counts are most of what a json stage extracts); null for any other.
         */
        private Double smallInteger(int from, int to) {
            boolean negative = text[from] == '-';
            long v = 0;
            for (int i = negative ? from + 1 : from; i < to; i++) {
                char ch = text[i];
                if (ch < '0' || ch > '9') {
                    return null; // a fraction
                }
                v = v * 10 + (ch - '0');
            }
            return negative ? (v == 0 ? -0.0 : (double) -v) : (double) v;
        }

        /** A scalar checked as {@link #scalar()} checks it, without making its value: most of a line is skipped. */
        void skipScalar() throws Malformed {
            char ch = peek();
            if (ch == '"') {
                pos++;
                skipStringBody();
                return;
            }
            if (ch == '-' || (ch >= '0' && ch <= '9')) {
                int start = pos;
                boolean exponent = skipNumber();
                // only an exponent or more digits than a float64's range holds can overflow it
                if ((exponent || pos - start > 300) && Double.isInfinite(Double.parseDouble(new String(text, start, pos - start)))) {
                    throw Malformed.INSTANCE;
                }
                return;
            }
            if (!literal("true") && !literal("false") && !literal("null")) {
                throw Malformed.INSTANCE;
            }
        }

        private boolean literal(String word) {
            if (end - pos < word.length() || !sameChars(pos, word)) {
                return false;
            }
            pos += word.length();
            return true;
        }

        /** JSON's number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?; true when it has an exponent. */
        boolean skipNumber() throws Malformed {
            if (pos < end && text[pos] == '-') {
                pos++;
            }
            char first = peek();
            if (first == '0') {
                pos++;
            } else if (first >= '1' && first <= '9') {
                digits();
            } else {
                throw Malformed.INSTANCE;
            }
            if (pos < end && text[pos] == '.') {
                pos++;
                if (digits() == 0) {
                    throw Malformed.INSTANCE;
                }
            }
            if (pos < end && (text[pos] == 'e' || text[pos] == 'E')) {
                pos++;
                if (pos < end && (text[pos] == '+' || text[pos] == '-')) {
                    pos++;
                }
                if (digits() == 0) {
                    throw Malformed.INSTANCE;
                }
                return true;
            }
            return false;
        }

        private int digits() {
            int start = pos;
            while (pos < end && text[pos] >= '0' && text[pos] <= '9') {
                pos++;
            }
            return pos - start;
        }

        /** Any value, checked and passed over; nesting counted from {@code depth}, without recursion. */
        void skipValue(int depth) throws Malformed {
            char ch = peek();
            if (ch != '{' && ch != '[') {
                skipScalar();
                return;
            }
            // open containers, innermost last ('{' or '['); each waits for a member or a value
            byte[] open = new byte[16];
            int depthHere = 0;
            pos++;
            open[depthHere++] = (byte) ch;
            boolean first = true;
            while (depthHere > 0) {
                if (depth + depthHere > MAX_DEPTH) {
                    throw Malformed.INSTANCE;
                }
                blanks();
                byte top = open[depthHere - 1];
                char close = top == '{' ? '}' : ']';
                if (first && peek() == close) {
                    pos++;
                    depthHere = afterValue(open, depthHere - 1);
                    first = false;
                    continue;
                }
                if (top == '{') {
                    expect('"');
                    skipStringBody();
                    blanks();
                    expect(':');
                    blanks();
                }
                char v = peek();
                if (v == '{' || v == '[') {
                    pos++;
                    if (depthHere == open.length) {
                        open = Arrays.copyOf(open, open.length * 2);
                    }
                    open[depthHere++] = (byte) v;
                    first = true;
                    continue;
                }
                skipScalar();
                first = false;
                depthHere = afterValue(open, depthHere);
            }
        }

        /** After a value inside containers: a ',' (the next value comes) or closing brackets; the depth left. */
        private int afterValue(byte[] open, int depthHere) throws Malformed {
            while (depthHere > 0) {
                blanks();
                byte top = open[depthHere - 1];
                char ch = next();
                if (ch == ',') {
                    return depthHere;
                }
                if (ch != (top == '{' ? '}' : ']')) {
                    throw Malformed.INSTANCE;
                }
                depthHere--;
            }
            return 0;
        }

        /** Four hex digits, already checked by skipStringBody. */
        private char hex4(int at) {
            int v = 0;
            for (int k = at; k < at + 4; k++) {
                v = v << 4 | Character.digit(text[k], 16);
            }
            return (char) v;
        }

        /** A string's body with its escapes resolved; a lone surrogate becomes U+FFFD, as Go decodes it. */
        String decode(int from, int to) {
            StringBuilder sb = new StringBuilder(to - from);
            for (int i = from; i < to; i++) {
                char ch = text[i];
                if (ch != '\\') {
                    sb.append(ch);
                    continue;
                }
                char e = text[++i];
                switch (e) {
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(i + 1);
                        i += 4;
                        if (Character.isHighSurrogate(u) && i + 6 < to && text[i + 1] == '\\' && text[i + 2] == 'u') {
                            char low = hex4(i + 3);
                            if (Character.isLowSurrogate(low)) {
                                sb.append(u).append(low);
                                i += 6;
                                continue;
                            }
                        }
                        sb.append(Character.isSurrogate(u) ? '\uFFFD' : u);
                    }
                    default -> sb.append(e); // " \ /
                }
            }
            return sb.toString();
        }
    }
}
