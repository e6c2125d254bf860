package io.caravan.relabel;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a YAML list of Prometheus relabel_configs into {@link RelabelRule}s, keeping each rule's line for messages.
 * Scalars are read as their text, as Go's YAML library does for string fields ({@code regex: true} is "true",
 * {@code regex: 010} is "010"); an explicit null is the empty string. Unknown and repeated fields are errors,
 * as under Prometheus' strict loading. Streaming, so the YAML line of every rule is known.
 */
final class RelabelYamlReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private static final String FIELDS = "source_labels, separator, regex, modulus, target_label, replacement, action";

    /** The rules in order and the line (1-based) where each starts. */
    record Parsed(List<RelabelRule> rules, int[] lines) {
    }

    private final JsonParser parser;
    private final String source;
    private int ruleNumber;
    private int ruleLine;

    private RelabelYamlReader(JsonParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    static Parsed read(String yamlText, String source) {
        try (JsonParser p = YAML.createParser(yamlText)) {
            return new RelabelYamlReader(p, source).readList();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new RelabelConfigException(source, 0, loc == null ? 0 : loc.getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage() + "; fix the YAML syntax", e);
        } catch (IOException e) {
            throw new RelabelConfigException(source, 0, 0, "cannot read the rules: " + e, e);
        }
    }

    private Parsed readList() throws IOException {
        List<RelabelRule> rules = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        JsonToken t = parser.nextToken();
        if (t == null || t == JsonToken.VALUE_NULL) {
            return new Parsed(rules, new int[0]); // an empty file is an empty list
        }
        if (t != JsonToken.START_ARRAY) {
            throw new RelabelConfigException(source, 0, line(),
                    "expected a YAML list of relabel_configs (lines starting with '- '), found " + describe(t)
                            + "; write the rules as in a Prometheus relabel_configs section, e.g."
                            + " \"- source_labels: [__meta_kubernetes_namespace]\\n  target_label: namespace\"", null);
        }
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            ruleNumber++;
            ruleLine = line();
            if (t == JsonToken.VALUE_NULL) {
                throw error("empty or null relabeling rule; remove the lone '-' or fill in the rule");
            }
            if (t != JsonToken.START_OBJECT) {
                throw error("a rule must be a mapping of relabel_config fields (" + FIELDS + "), found "
                        + describe(t));
            }
            rules.add(readRule());
            lines.add(ruleLine);
        }
        if (parser.nextToken() != null) {
            throw new RelabelConfigException(source, 0, line(),
                    "unexpected content after the list of rules; keep one YAML document with one list", null);
        }
        int[] lineArray = new int[lines.size()];
        for (int i = 0; i < lineArray.length; i++) {
            lineArray[i] = lines.get(i);
        }
        return new Parsed(rules, lineArray);
    }

    private RelabelRule readRule() throws IOException {
        RelabelRule.Builder b = RelabelRule.builder();
        Set<String> seen = new HashSet<>();
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            int fieldLine = line();
            if (!seen.add(field)) {
                throw error(fieldLine, "field '" + field + "' is given twice; keep one");
            }
            parser.nextToken();
            switch (field) {
                case "source_labels" -> b.sourceLabels(readNames(field, fieldLine));
                case "separator" -> b.separator(readText(field, fieldLine));
                case "regex" -> {
                    String regex = readText(field, fieldLine);
                    try {
                        b.regex(regex);
                    } catch (RelabelConfigException e) {
                        throw error(fieldLine, e.reason());
                    }
                }
                case "modulus" -> b.modulus(readModulus(fieldLine));
                case "target_label" -> b.targetLabel(readText(field, fieldLine));
                case "replacement" -> b.replacement(readText(field, fieldLine));
                case "action" -> {
                    String text = readText(field, fieldLine);
                    if (text.isEmpty()) {
                        b.action(null);
                    } else {
                        RelabelAction action = RelabelAction.fromYaml(text);
                        if (action == null) {
                            throw error(fieldLine, "unknown relabel action \"" + text + "\"; use one of "
                                    + RelabelAction.allNames());
                        }
                        b.action(action);
                    }
                }
                default -> throw error(fieldLine, "unknown field '" + field + "'; a relabel_config has only "
                        + FIELDS + " (Prometheus spelling)");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw error("unexpected " + describe(t) + " in the rule");
        }
        return b.build();
    }

    /** A scalar as its text; null as "". */
    private String readText(String field, int fieldLine) throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t != null && t.isScalarValue()) {
            return parser.getText();
        }
        throw error(fieldLine, "'" + field + "' must be a single string, found " + describe(t));
    }

    private List<String> readNames(String field, int fieldLine) throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null; // same as not given
        }
        if (t != JsonToken.START_ARRAY) {
            String hint = t != null && t.isScalarValue() ? " [" + parser.getText() + "]" : " [label_a, label_b]";
            throw error(fieldLine, "'" + field + "' must be a list of label names, found " + describe(t)
                    + "; Prometheus does not accept a single name here, write " + field + ":" + hint);
        }
        List<String> names = new ArrayList<>();
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                names.add("");
            } else if (t.isScalarValue()) {
                names.add(parser.getText());
            } else {
                throw error(line(), "'" + field + "' must hold label names only, found " + describe(t));
            }
        }
        return names;
    }

    private long readModulus(int fieldLine) throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        String text = t.isScalarValue() ? parser.getText().trim() : "";
        try {
            if (text.startsWith("+")) {
                text = text.substring(1);
            }
            if (text.isEmpty() || text.charAt(0) == '-') {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(fieldLine, "'modulus' must be a whole number from 1 to 18446744073709551615, found "
                    + (t.isScalarValue() ? "\"" + parser.getText() + "\"" : describe(t)));
        }
    }

    private int line() {
        JsonLocation loc = parser.currentTokenLocation();
        return loc == null ? 0 : loc.getLineNr();
    }

    private RelabelConfigException error(String reason) {
        return error(ruleLine, reason);
    }

    private RelabelConfigException error(int atLine, String reason) {
        return new RelabelConfigException(source, ruleNumber, atLine, reason, null);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the text";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_NULL -> "null";
            default -> "a " + (t.isScalarValue() ? "scalar" : t.name().toLowerCase());
        };
    }
}
