package io.caravan.logs.process.gotemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads template text into {@link TemplateNode}s with Go's text/template rules for the subset stage templates use:
 * text, {{ }} actions with the trim markers "{{- " and " -}}", comments, fields, string/number/bool/nil literals,
 * pipelines, parenthesised pipelines, function calls and if / else if / else / end. Anything else is refused with
 * the offset it was found at, as Go refuses it when the template is parsed.
 */
final class GoTemplateParser {

    /** A mistake in the text, at an offset into it. */
    static final class SyntaxError extends Exception {
        final int offset;

        SyntaxError(String reason, int offset) {
            super(reason, null, false, false);
            this.offset = offset;
        }
    }

    private enum Kind { FIELD, DOT, STRING, NUMBER, BOOL, NIL, IDENT, KEYWORD, PIPE, LEFT, RIGHT }

    private record Token(Kind kind, String text, Object value, int offset) {
    }

    /** A piece of the text: literal text (tokens null) or one action's tokens. */
    private record Item(String text, List<Token> tokens, int offset) {
    }

    private static final Set<String> KEYWORDS =
            Set.of("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue");

    private final String src;
    private final Set<String> functions;
    private final List<Item> items = new ArrayList<>();
    private int next; // the item parseNodes looks at

    private GoTemplateParser(String src, Set<String> functions) {
        this.src = src;
        this.functions = functions;
    }

    static List<TemplateNode> parse(String src, Set<String> functions) throws SyntaxError {
        GoTemplateParser p = new GoTemplateParser(src, functions);
        p.split();
        List<TemplateNode> nodes = p.parseNodes();
        if (p.next < p.items.size()) {
            Item stray = p.items.get(p.next);
            throw new SyntaxError("unexpected {{" + stray.tokens().get(0).text() + "}}", stray.offset());
        }
        return nodes;
    }

    // ---- splitting the text into text and actions ----

    private void split() throws SyntaxError {
        int i = 0;
        boolean trimNext = false;
        while (i < src.length()) {
            int open = src.indexOf("{{", i);
            String text = src.substring(i, open < 0 ? src.length() : open);
            if (trimNext) {
                text = text.stripLeading();
            }
            if (open < 0) {
                addText(text, i);
                return;
            }
            int at = open + 2;
            if (at + 1 < src.length() && src.charAt(at) == '-' && isSpace(src.charAt(at + 1))) {
                text = text.stripTrailing();
                at++;
            }
            addText(text, i);
            List<Token> tokens = new ArrayList<>();
            int[] end = new int[1];
            trimNext = lexAction(at, tokens, end);
            if (!tokens.isEmpty() || !isComment(at)) {
                if (tokens.isEmpty()) {
                    throw new SyntaxError("missing value for command", open);
                }
                items.add(new Item(null, tokens, open));
            }
            i = end[0];
        }
    }

    private void addText(String text, int offset) {
        if (!text.isEmpty()) {
            items.add(new Item(text, null, offset));
        }
    }

    private boolean isComment(int at) {
        int i = skipSpaces(at);
        return src.startsWith("/*", i);
    }

    /** Lexes one action from {@code at} to its "}}"; end[0] is past it. True when it ends with the trim marker " -}}". */
    private boolean lexAction(int at, List<Token> out, int[] end) throws SyntaxError {
        int i = skipSpaces(at);
        if (src.startsWith("/*", i)) {
            int close = src.indexOf("*/", i + 2);
            if (close < 0) {
                throw new SyntaxError("unclosed comment", i);
            }
            i = close + 2;
        }
        while (true) {
            int before = i;
            i = skipSpaces(i);
            if (i >= src.length()) {
                throw new SyntaxError("unclosed action: no }}", at - 2);
            }
            if (src.startsWith("-}}", i) && i > before) {
                end[0] = i + 3;
                return true;
            }
            if (src.startsWith("}}", i)) {
                end[0] = i + 2;
                return false;
            }
            if (i == before && !out.isEmpty() && !isDelimiter(src.charAt(i)) && !isDelimiter(src.charAt(i - 1))) {
                throw new SyntaxError("unexpected '" + src.charAt(i) + "' after " + out.get(out.size() - 1).text(), i);
            }
            i = lexToken(i, out);
        }
    }

    private static boolean isDelimiter(char c) {
        return c == '(' || c == ')' || c == '|';
    }

    private int lexToken(int i, List<Token> out) throws SyntaxError {
        char c = src.charAt(i);
        switch (c) {
            case '|' -> {
                out.add(new Token(Kind.PIPE, "|", null, i));
                return i + 1;
            }
            case '(' -> {
                out.add(new Token(Kind.LEFT, "(", null, i));
                return i + 1;
            }
            case ')' -> {
                out.add(new Token(Kind.RIGHT, ")", null, i));
                return i + 1;
            }
            case '"' -> {
                return lexQuoted(i, out);
            }
            case '`' -> {
                int close = src.indexOf('`', i + 1);
                if (close < 0) {
                    throw new SyntaxError("unterminated raw string", i);
                }
                out.add(new Token(Kind.STRING, src.substring(i, close + 1), src.substring(i + 1, close), i));
                return close + 1;
            }
            case '\'' -> {
                return lexChar(i, out);
            }
            case '.' -> {
                if (i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))) {
                    return lexNumber(i, out);
                }
                int j = i;
                List<String> path = new ArrayList<>();
                while (j < src.length() && src.charAt(j) == '.' && j + 1 < src.length() && isIdentStart(src.charAt(j + 1))) {
                    int k = j + 1;
                    while (k < src.length() && isIdentPart(src.charAt(k))) {
                        k++;
                    }
                    path.add(src.substring(j + 1, k));
                    j = k;
                }
                if (path.isEmpty()) {
                    out.add(new Token(Kind.DOT, ".", List.of(), i));
                    return i + 1;
                }
                out.add(new Token(Kind.FIELD, src.substring(i, j), List.copyOf(path), i));
                return j;
            }
            case '$' -> throw new SyntaxError("variables ($) are not supported in stage templates", i);
            case ':', '=' -> throw new SyntaxError("assignments are not supported in stage templates", i);
            default -> {
                if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < src.length()
                        && (Character.isDigit(src.charAt(i + 1)) || src.charAt(i + 1) == '.'))) {
                    return lexNumber(i, out);
                }
                if (isIdentStart(c)) {
                    int j = i;
                    while (j < src.length() && isIdentPart(src.charAt(j))) {
                        j++;
                    }
                    String word = src.substring(i, j);
                    if (word.equals("true") || word.equals("false")) {
                        out.add(new Token(Kind.BOOL, word, Boolean.valueOf(word), i));
                    } else if (word.equals("nil")) {
                        out.add(new Token(Kind.NIL, word, null, i));
                    } else {
                        out.add(new Token(KEYWORDS.contains(word) ? Kind.KEYWORD : Kind.IDENT, word, null, i));
                    }
                    return j;
                }
                throw new SyntaxError("unexpected '" + c + "' in action", i);
            }
        }
    }

    private int lexQuoted(int i, List<Token> out) throws SyntaxError {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (true) {
            if (j >= src.length() || src.charAt(j) == '\n') {
                throw new SyntaxError("unterminated quoted string", i);
            }
            char c = src.charAt(j);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                sb.append(c);
                j++;
                continue;
            }
            if (j + 1 >= src.length()) {
                throw new SyntaxError("unterminated quoted string", i);
            }
            j = escape(j, sb);
        }
        out.add(new Token(Kind.STRING, src.substring(i, j + 1), sb.toString(), i));
        return j + 1;
    }

    /** Go's escapes in quoted strings; j is at the backslash, the result is past the escape. */
    private int escape(int j, StringBuilder sb) throws SyntaxError {
        char e = src.charAt(j + 1);
        switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'v' -> sb.append('\u000b');
            case '\\', '"', '\'' -> sb.append(e);
            case 'x', 'u', 'U' -> {
                int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                int cp = hex(j + 2, len, j);
                if (e == 'x') {
                    sb.append((char) cp); // a byte; Latin-1 here, which is enough for masks and separators
                } else {
                    sb.appendCodePoint(cp);
                }
                return j + 2 + len;
            }
            default -> {
                if (e >= '0' && e <= '7' && j + 3 < src.length()) {
                    try {
                        sb.append((char) Integer.parseInt(src.substring(j + 1, j + 4), 8));
                        return j + 4;
                    } catch (NumberFormatException notOctal) {
                        throw new SyntaxError("invalid octal escape", j);
                    }
                }
                throw new SyntaxError("unknown escape sequence \\" + e, j);
            }
        }
        return j + 2;
    }

    private int hex(int from, int len, int at) throws SyntaxError {
        if (from + len > src.length()) {
            throw new SyntaxError("invalid escape sequence", at);
        }
        try {
            return Integer.parseInt(src.substring(from, from + len), 16);
        } catch (NumberFormatException e) {
            throw new SyntaxError("invalid escape sequence", at);
        }
    }

    private int lexChar(int i, List<Token> out) throws SyntaxError {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        if (j < src.length() && src.charAt(j) == '\\') {
            j = escape(j, sb);
        } else if (j < src.length()) {
            sb.appendCodePoint(src.codePointAt(j));
            j += Character.charCount(src.codePointAt(j));
        }
        if (j >= src.length() || src.charAt(j) != '\'' || sb.isEmpty()) {
            throw new SyntaxError("malformed character constant", i);
        }
        out.add(new Token(Kind.NUMBER, src.substring(i, j + 1), (long) sb.codePointAt(0), i));
        return j + 1;
    }

    private int lexNumber(int i, List<Token> out) throws SyntaxError {
        int j = i;
        if (src.charAt(j) == '-' || src.charAt(j) == '+') {
            j++;
        }
        while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '.' || src.charAt(j) == '_'
                || ((src.charAt(j) == '-' || src.charAt(j) == '+') && "eEpP".indexOf(src.charAt(j - 1)) >= 0
                && !src.substring(i, j).toLowerCase().startsWith("0x")))) {
            j++;
        }
        String text = src.substring(i, j);
        String n = text.replace("_", "");
        Object value;
        try {
            String body = n.startsWith("-") || n.startsWith("+") ? n.substring(1) : n;
            boolean hex = body.toLowerCase().startsWith("0x");
            if (!hex && (body.contains(".") || body.contains("e") || body.contains("E"))) {
                value = Double.parseDouble(n);
            } else if (body.toLowerCase().startsWith("0o")) {
                value = Long.parseLong((n.startsWith("-") ? "-" : "") + body.substring(2), 8);
            } else if (body.toLowerCase().startsWith("0b")) {
                value = Long.parseLong((n.startsWith("-") ? "-" : "") + body.substring(2), 2);
            } else {
                value = Long.decode(n);
            }
        } catch (NumberFormatException e) {
            throw new SyntaxError("bad number syntax: " + text, i);
        }
        out.add(new Token(Kind.NUMBER, text, value, i));
        return j;
    }

    private int skipSpaces(int i) {
        while (i < src.length() && isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    // ---- building the tree ----

    /** Nodes up to an {{else}} or {{end}} (left for the caller) or the end of the text. */
    private List<TemplateNode> parseNodes() throws SyntaxError {
        List<TemplateNode> nodes = new ArrayList<>();
        while (next < items.size()) {
            Item item = items.get(next);
            if (item.tokens() == null) {
                nodes.add(new TemplateNode.Text(item.text()));
                next++;
                continue;
            }
            Token first = item.tokens().get(0);
            if (first.kind() == Kind.KEYWORD) {
                switch (first.text()) {
                    case "else", "end" -> {
                        return nodes;
                    }
                    case "if" -> {
                        next++;
                        nodes.add(parseIf(item));
                    }
                    default -> throw new SyntaxError("{{" + first.text() + "}} is not supported in stage templates; use if/else", first.offset());
                }
                continue;
            }
            nodes.add(new TemplateNode.Print(pipeline(item.tokens(), 0, item.offset())));
            next++;
        }
        return nodes;
    }

    /** After {{if cond}}: its branches, {{else if}}s, an {{else}} and the {{end}}. */
    private TemplateNode parseIf(Item opening) throws SyntaxError {
        List<TemplateNode.Branch> branches = new ArrayList<>();
        Item head = opening;
        int condFrom = 1;
        while (true) {
            TemplateNode.Pipeline cond = pipeline(head.tokens(), condFrom, head.offset());
            branches.add(new TemplateNode.Branch(cond, parseNodes()));
            Item stop = closing(opening);
            String word = stop.tokens().get(0).text();
            if (word.equals("end")) {
                requireAlone(stop);
                return new TemplateNode.If(branches, List.of());
            }
            List<Token> t = stop.tokens();
            if (t.size() > 1 && t.get(1).kind() == Kind.KEYWORD && t.get(1).text().equals("if")) {
                head = stop;
                condFrom = 2;
                continue;
            }
            requireAlone(stop);
            List<TemplateNode> otherwise = parseNodes();
            Item end = closing(opening);
            if (!end.tokens().get(0).text().equals("end")) {
                throw new SyntaxError("{{else}} after {{else}}; an if has at most one", end.offset());
            }
            requireAlone(end);
            return new TemplateNode.If(branches, otherwise);
        }
    }

    /** The {{else}} or {{end}} parseNodes stopped at, consumed; its absence is the if's mistake. */
    private Item closing(Item opening) throws SyntaxError {
        if (next >= items.size()) {
            throw new SyntaxError("{{if}} has no matching {{end}}", opening.offset());
        }
        return items.get(next++);
    }

    private static void requireAlone(Item keyword) throws SyntaxError {
        if (keyword.tokens().size() > 1) {
            Token extra = keyword.tokens().get(1);
            throw new SyntaxError("unexpected " + extra.text() + " in {{" + keyword.tokens().get(0).text() + "}}", extra.offset());
        }
    }

    /** The pipeline of tokens[from..] to the end of the action. */
    private TemplateNode.Pipeline pipeline(List<Token> tokens, int from, int actionOffset) throws SyntaxError {
        int[] at = {from};
        TemplateNode.Pipeline p = pipeline(tokens, at, actionOffset, -1);
        if (at[0] < tokens.size()) {
            Token t = tokens.get(at[0]);
            throw new SyntaxError("unexpected " + t.text(), t.offset());
        }
        return p;
    }

    /** A pipeline from tokens[at[0]], up to the end or, inside parentheses (paren: where the '(' is; else -1), the ')'. */
    private TemplateNode.Pipeline pipeline(List<Token> tokens, int[] at, int offset, int paren) throws SyntaxError {
        boolean inParens = paren >= 0;
        List<TemplateNode.Command> commands = new ArrayList<>();
        while (true) {
            int cmdAt = at[0] < tokens.size() ? tokens.get(at[0]).offset() : offset;
            List<TemplateNode.Operand> operands = new ArrayList<>();
            while (at[0] < tokens.size()) {
                Token t = tokens.get(at[0]);
                if (t.kind() == Kind.PIPE || t.kind() == Kind.RIGHT) {
                    break;
                }
                operands.add(operand(tokens, at, offset));
            }
            if (operands.isEmpty()) {
                throw new SyntaxError(commands.isEmpty() ? "missing value for command" : "missing command after |", cmdAt);
            }
            if (!commands.isEmpty() && !(operands.get(0) instanceof TemplateNode.Function)
                    && !(operands.get(0) instanceof TemplateNode.Nested)) {
                throw new SyntaxError("non executable command in pipeline stage " + (commands.size() + 1), cmdAt);
            }
            commands.add(new TemplateNode.Command(List.copyOf(operands)));
            if (at[0] >= tokens.size()) {
                if (inParens) {
                    throw new SyntaxError("unclosed left paren", paren);
                }
                return new TemplateNode.Pipeline(List.copyOf(commands));
            }
            Token t = tokens.get(at[0]);
            if (t.kind() == Kind.RIGHT) {
                if (!inParens) {
                    throw new SyntaxError("unexpected right paren", t.offset());
                }
                return new TemplateNode.Pipeline(List.copyOf(commands));
            }
            at[0]++; // the '|'
        }
    }

    private TemplateNode.Operand operand(List<Token> tokens, int[] at, int offset) throws SyntaxError {
        Token t = tokens.get(at[0]++);
        return switch (t.kind()) {
            case FIELD, DOT -> {
                @SuppressWarnings("unchecked")
                List<String> path = (List<String>) t.value();
                yield new TemplateNode.Field(path);
            }
            case STRING, NUMBER, BOOL, NIL -> new TemplateNode.Literal(t.value());
            case IDENT -> {
                if (!functions.contains(t.text())) {
                    throw new SyntaxError("function \"" + t.text() + "\" not defined", t.offset());
                }
                yield new TemplateNode.Function(t.text());
            }
            case LEFT -> {
                TemplateNode.Pipeline inner = pipeline(tokens, at, offset, t.offset());
                at[0]++; // the ')'
                yield new TemplateNode.Nested(inner);
            }
            case KEYWORD -> throw new SyntaxError("unexpected {{" + t.text() + "}} inside an action", t.offset());
            default -> throw new SyntaxError("unexpected " + t.text(), t.offset());
        };
    }
}
