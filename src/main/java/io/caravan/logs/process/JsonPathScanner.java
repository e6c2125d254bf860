package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The json stage's fast path, hand-written because building a whole tree per line is the hot spot of the
 * audit pipeline: one streaming pass over the line that descends only into the objects the plain dotted
 * paths name and skips everything else. It gives what the tree walk gives: the whole line is still
 * checked to be one JSON object, a repeated key replaces what the earlier one gave, and a path through
 * a non-object finds nothing.
 */
final class JsonPathScanner {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>(8);
        final List<Integer> ends = new ArrayList<>(1);   // paths that end here
        final List<Integer> under = new ArrayList<>(2);  // paths that end here or deeper
    }

    /** Reads one value in the middle of a line: the trailing-token check belongs to the whole line only. */
    private static final ObjectReader SUBTREE = JsonStage.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Node root = new Node();
    private final String[][] paths;

    JsonPathScanner(String[][] paths) {
        this.paths = paths;
        for (int i = 0; i < paths.length; i++) {
            Node n = root;
            for (String step : paths[i]) {
                n = n.children.computeIfAbsent(step, s -> new Node());
                n.under.add(i);
            }
            n.ends.add(i);
        }
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
        java.util.Arrays.fill(out, Extracted.NULL);
        try (JsonParser p = JsonStage.MAPPER.getFactory().createParser(input)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            object(p, root, out);
            if (p.nextToken() != null) {
                return null; // trailing content: Go's Unmarshal refuses it
            }
            return out;
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
    }

    /** Reads the current object up to and including its END_OBJECT. */
    private void object(JsonParser p, Node node, Object[] out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            Node child = node.children.get(p.currentName());
            JsonToken v = p.nextToken();
            if (child == null) {
                p.skipChildren();
                continue;
            }
            for (int i : child.under) {
                out[i] = Extracted.NULL; // a repeated key starts over
            }
            if (!child.ends.isEmpty() && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)) {
                JsonNode tree = SUBTREE.readTree(p); // needed as text, and maybe deeper paths
                for (int i : child.under) {
                    JsonNode r = tree;
                    for (int s = depthOf(child, i); s < paths[i].length && r != null; s++) {
                        r = r.isObject() ? r.get(paths[i][s]) : null;
                    }
                    out[i] = JsonStage.value(r);
                }
            } else if (v == JsonToken.START_OBJECT) {
                object(p, child, out);
            } else if (v == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else {
                Object scalar = scalar(p, v);
                for (int i : child.ends) {
                    out[i] = scalar;
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t);
        }
    }

    private int depthOf(Node child, int pathIndex) {
        // the child node sits at the depth where the path has consumed as many steps as lead to it
        Node n = root;
        String[] steps = paths[pathIndex];
        for (int s = 0; s < steps.length; s++) {
            n = n.children.get(steps[s]);
            if (n == child) {
                return s + 1;
            }
        }
        return steps.length;
    }

    private static Object scalar(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> Extracted.NULL;
        };
    }
}
