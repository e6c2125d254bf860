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

    /** Alloy's RegexConfig: an RE2 expression with named groups, over the line or an extracted source. */
    record Args(String expression, String source, Boolean labelsFromGroups) implements StageArgs {
        Args {
            labelsFromGroups = ArgChecks.orDefault(labelsFromGroups, false);
        }

        @Override
        public void validate() {
            ArgChecks.required("expression", expression);
            ArgChecks.notEmptyIfGiven("source", source);
            Regexes.compile("expression", expression);
        }
    }

    RegexStage(Args args) {
        source = args.source();
        labelsFromGroups = args.labelsFromGroups();
        pattern = Regexes.compile("expression", args.expression());
        Map<String, Integer> named = pattern.namedGroups();
        groupNames = named.keySet().toArray(new String[0]);
        groupIndexes = new int[groupNames.length];
        for (int i = 0; i < groupNames.length; i++) {
            groupIndexes[i] = named.get(groupNames[i]);
        }
    }

    @Override
    boolean apply(ProcessEntry e) {
        String input = e.text(source);
        if (input == null) {
            return true; // a missing or non-string source: the stage leaves the entry alone
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
