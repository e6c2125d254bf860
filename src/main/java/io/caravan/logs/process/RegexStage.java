package io.caravan.logs.process;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.Map;

/**
 * stage.regex: named groups of an RE2 expression (unanchored, first match) become extracted values;
 * with labels_from_groups they also become labels. A missing or non-string source skips the entry.
 */
final class RegexStage extends Stage.PerEntry {

    private final Pattern pattern;
    private final String source;
    private final boolean labelsFromGroups;
    private final String[] groupNames;
    private final int[] groupIndexes;

    RegexStage(StageArgs args) {
        String expression = args.string("expression");
        source = args.optString("source", null);
        labelsFromGroups = args.bool("labels_from_groups", false);
        args.done("regex", "expression, source, labels_from_groups");
        if (source != null && source.isEmpty()) {
            throw new IllegalArgumentException("'source' is empty; leave it out to read the line");
        }
        pattern = Regexes.compile("expression", expression);
        Map<String, Integer> named = pattern.namedGroups();
        groupNames = named.keySet().toArray(new String[0]);
        groupIndexes = new int[groupNames.length];
        for (int i = 0; i < groupNames.length; i++) {
            groupIndexes[i] = named.get(groupNames[i]);
        }
    }

    @Override
    boolean apply(ProcessEntry e) {
        String input = e.line;
        if (source != null) {
            Object v = e.extracted.get(source);
            input = v == null ? null : Extracted.asString(v);
            if (input == null) {
                return true;
            }
        }
        Matcher m = pattern.matcher(input);
        if (!m.find()) {
            return true;
        }
        for (int i = 0; i < groupNames.length; i++) {
            String g = m.group(groupIndexes[i]);
            String value = g == null ? "" : g;
            e.extracted.put(groupNames[i], value);
            if (labelsFromGroups && LabelNames.isValid(groupNames[i])) {
                e.labels.set(groupNames[i], value);
            }
        }
        return true;
    }
}
