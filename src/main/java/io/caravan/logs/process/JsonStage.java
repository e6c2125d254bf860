package io.caravan.logs.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.jackson.JacksonRuntime;
import io.micrometer.core.instrument.Counter;

import java.io.IOException;
import java.util.Map;

/**
 * stage.json: parses the line (or an extracted value) as a JSON object and stores one extracted value per
 * JMESPath expression. As in Alloy: an expression that finds nothing stores a null (present, but no
 * string), numbers are Go float64s, objects and arrays are stored as their compact JSON text. A line
 * that is not a JSON object is counted and passed on, or dropped with drop_malformed.
 * <p>
 * Each expression is compiled once. Plain dotted paths ({@code user.username}) skip the JMESPath
 * interpreter and walk the tree directly (same result, a few times faster); when every expression is
 * such a path, the line is not even built into a tree: {@link JsonPathScanner} streams over it once.
 */
final class JsonStage extends Stage.PerEntry {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The JMESPath runtime, made when the first expression that is no plain path needs it (it costs ~0.3 s to load). */
    private static final class Jmes {
        static final JmesPath<JsonNode> RUNTIME = new JacksonRuntime();
    }

    private final String[] names;
    private final Expression<JsonNode>[] expressions; // null where paths[i] is used
    private final String[][] paths;                    // null where the expression is not a plain path
    private final JsonPathScanner scanner;             // non-null when every expression is a plain path
    private final String source;
    private final boolean dropMalformed;
    private final Counter malformed;
    private final Counter dropped;

    /** Alloy's JSONConfig: name to JMESPath (empty: the name itself), read from the line or an extracted source. */
    record Args(Map<String, String> expressions, String source, Boolean dropMalformed) implements StageArgs {
        Args {
            expressions = ArgChecks.inOrder(expressions);
            dropMalformed = ArgChecks.orDefault(dropMalformed, false);
        }

        @Override
        public void validate() {
            ArgChecks.required("expressions", expressions);
            if (expressions.isEmpty()) {
                throw new IllegalArgumentException("'expressions' is empty; give at least one name: JMESPath pair");
            }
            ArgChecks.notEmptyIfGiven("source", source);
            expressions.forEach((name, expression) -> {
                if (JsonPathScanner.plainPath(expression.isEmpty() ? name : expression) == null) {
                    compile(name, expression); // a plain dotted path is valid JMESPath by its grammar
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    JsonStage(Args args, StageMetrics metrics) {
        source = args.source();
        dropMalformed = args.dropMalformed();
        names = args.expressions().keySet().toArray(new String[0]);
        expressions = new Expression[names.length];
        paths = new String[names.length][];
        boolean allPlain = true;
        for (int i = 0; i < names.length; i++) {
            String e = args.expressions().get(names[i]);
            paths[i] = JsonPathScanner.plainPath(e.isEmpty() ? names[i] : e);
            if (paths[i] == null) {
                expressions[i] = compile(names[i], e);
                allPlain = false;
            }
        }
        scanner = allPlain ? new JsonPathScanner(paths) : null;
        malformed = metrics.malformedJson();
        dropped = metrics.dropCounter("json_malformed");
    }

    /** The expression of a name, compiled. */
    static Expression<JsonNode> compile(String name, String expression) {
        String e = expression.isEmpty() ? name : expression;
        try {
            return Jmes.RUNTIME.compile(e);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("could not compile JMESPath expression '" + e + "' for '" + name + "': " + ex.getMessage());
        }
    }

    @Override
    boolean apply(ProcessEntry e) {
        String input = e.text(source);
        if (input == null) {
            return true; // a missing or non-string source: the stage leaves the entry alone
        }
        boolean ok = scanner != null ? scan(input, e.extracted) : tree(input, e.extracted);
        if (!ok) {
            malformed.increment();
            if (dropMalformed) {
                dropped.increment();
                return false;
            }
        }
        return true;
    }

    private boolean scan(String input, Map<String, Object> extracted) {
        Object[] found = scanner.scan(input);
        if (found == null) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            extracted.put(names[i], found[i]);
        }
        return true;
    }

    private boolean tree(String input, Map<String, Object> extracted) {
        JsonNode root;
        try {
            root = MAPPER.readTree(input);
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
        if (root == null || !root.isObject()) {
            return false; // Go unmarshals into map[string]any: only an object will do
        }
        for (int i = 0; i < names.length; i++) {
            JsonNode r;
            if (paths[i] != null) {
                r = root;
                for (String step : paths[i]) {
                    r = r.isObject() ? r.get(step) : null;
                    if (r == null) {
                        break;
                    }
                }
            } else {
                try {
                    r = expressions[i].search(root);
                } catch (RuntimeException searchFailed) {
                    continue; // Alloy leaves the key unset when a search fails
                }
            }
            extracted.put(names[i], value(r));
        }
        return true;
    }

    /** A JSON value as Alloy stores it in extracted. */
    static Object value(JsonNode r) {
        if (r == null || r.isNull() || r.isMissingNode() || r instanceof MissingNode) {
            return Extracted.NULL;
        }
        if (r.isTextual()) {
            return r.textValue();
        }
        if (r.isNumber()) {
            return r.doubleValue();
        }
        if (r.isBoolean()) {
            return r.booleanValue();
        }
        try {
            return goJson(MAPPER.writeValueAsString(r));
        } catch (IOException e) {
            return Extracted.NULL;
        }
    }

    /** Go's encoding/json escapes <, > and & (and U+2028/9) in strings; they occur in JSON text only inside strings. */
    static String goJson(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                StringBuilder sb = new StringBuilder(json.length() + 16).append(json, 0, i);
                for (int j = i; j < json.length(); j++) {
                    char d = json.charAt(j);
                    switch (d) {
                        case '<' -> sb.append("\\u003c");
                        case '>' -> sb.append("\\u003e");
                        case '&' -> sb.append("\\u0026");
                        case '\u2028' -> sb.append("\\u2028");
                        case '\u2029' -> sb.append("\\u2029");
                        default -> sb.append(d);
                    }
                }
                return sb.toString();
            }
        }
        return json;
    }
}
