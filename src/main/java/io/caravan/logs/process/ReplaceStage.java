package io.caravan.logs.process;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.google.re2j.Pattern;
import io.caravan.logs.process.gotemplate.GoRegexp;
import io.caravan.logs.process.gotemplate.GoTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * stage.replace: in the line, or in an extracted value written back to its key, the text of every capture group
 * of every match of an RE2 expression is replaced by {@code replace}, a Go template where {@code .Value} is the
 * captured text and extracted values are fields. The whole match outside the groups stays: an expression without
 * groups changes nothing. A group inside one already replaced is not replaced again. Named groups also go to
 * extracted, with their first match's replaced text. A missing or non-string source, no match, or a template that
 * fails leaves the entry as it was, as in Alloy.
 */
final class ReplaceStage extends Stage.PerEntry {

    private final Pattern pattern;
    private final String source;
    private final GoTemplate replace;

    /** Alloy's ReplaceConfig: replace defaults to "", which removes what the groups captured. */
    record Args(String expression, String source, @JsonDeserialize(using = TemplateArgument.class) String replace)
            implements StageArgs {
        Args {
            replace = ArgChecks.orDefault(replace, "");
        }

        @Override
        public void validate() {
            ArgChecks.required("expression", expression);
            ArgChecks.notEmptyIfGiven("source", source);
            Regexes.compile("expression", expression);
            GoTemplate.parse("replace", replace);
        }
    }

    ReplaceStage(Args args) {
        pattern = Regexes.compile("expression", args.expression());
        source = args.source();
        replace = GoTemplate.parse("replace", args.replace());
    }

    @Override
    boolean apply(ProcessEntry e) {
        String input = e.text(source);
        if (input == null) {
            return true; // a missing or non-string source: the stage leaves the entry alone
        }
        List<int[]> matches = GoRegexp.findAll(pattern, input);
        if (matches.isEmpty()) {
            return true;
        }
        Map<String, String> data = new HashMap<>(e.extracted.size() + 1);
        for (Map.Entry<String, Object> kv : e.extracted.entrySet()) {
            String s = Extracted.asString(kv.getValue());
            if (s != null) {
                data.put(kv.getKey(), s);
            }
        }
        StringBuilder result = new StringBuilder(input.length());
        Map<String, String> replacedByCapture = new HashMap<>();
        int copiedTo = 0;
        try {
            for (int[] match : matches) {
                for (int g = 2; g < match.length; g += 2) {
                    if (match[g] < 0) {
                        continue;
                    }
                    String captured = input.substring(match[g], match[g + 1]);
                    data.put("Value", captured);
                    String replaced = replace.execute(data);
                    // a group inside one already replaced (nested groups) is rendered but not written again
                    if (copiedTo == 0 || copiedTo <= match[g]) {
                        result.append(input, copiedTo, match[g]).append(replaced);
                        copiedTo = match[g + 1];
                    }
                    replacedByCapture.put(captured, replaced);
                }
            }
        } catch (GoTemplate.ExecutionError failed) {
            return true;
        }
        result.append(input, copiedTo, input.length());
        if (source != null) {
            e.extracted.put(source, result.toString());
        } else {
            e.line = result.toString();
        }
        extractNamedGroups(e, input, matches.get(0), replacedByCapture);
        return true;
    }

    /** Alloy looks each named group's first-match text up among the replacements: the replaced text, when there is one. */
    private void extractNamedGroups(ProcessEntry e, String input, int[] first, Map<String, String> replacedByCapture) {
        for (Map.Entry<String, Integer> named : pattern.namedGroups().entrySet()) {
            int g = named.getValue();
            String captured = first[2 * g] < 0 ? "" : input.substring(first[2 * g], first[2 * g + 1]);
            String replaced = replacedByCapture.get(captured);
            if (replaced != null) {
                e.extracted.put(named.getKey(), replaced);
            }
        }
    }
}
