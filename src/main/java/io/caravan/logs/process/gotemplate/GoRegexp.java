package io.caravan.logs.process.gotemplate;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Go's regexp "All" walks over re2j: successive non-overlapping matches, where an empty match right after the
 * previous one is skipped (Java's find would report it), and Go's $1 / ${name} expansion of a replacement.
 */
public final class GoRegexp {

    private GoRegexp() {
    }

    /** Every match, each as Go's FindAllStringSubmatchIndex gives it: start and end of the match, then of each group (-1 when a group took no part). */
    public static List<int[]> findAll(Pattern pattern, String input) {
        List<int[]> out = new ArrayList<>();
        Matcher m = pattern.matcher(input);
        int groups = m.groupCount();
        int pos = 0;
        int previousEnd = -1;
        while (pos <= input.length() && m.find(pos)) {
            boolean accept = true;
            if (m.end() == m.start()) {
                accept = m.start() != previousEnd;
                pos = m.end() < input.length() ? m.end() + Character.charCount(input.codePointAt(m.end())) : input.length() + 1;
            } else {
                pos = m.end();
            }
            previousEnd = m.end();
            if (accept) {
                int[] at = new int[2 * (groups + 1)];
                for (int g = 0; g <= groups; g++) {
                    at[2 * g] = m.start(g);
                    at[2 * g + 1] = m.end(g);
                }
                out.add(at);
            }
        }
        return out;
    }

    /** Go's ReplaceAllString (literal: ReplaceAllLiteralString): each match replaced, $ references expanded unless literal. */
    static String replaceAll(Pattern pattern, String input, String replacement, boolean literal) {
        StringBuilder sb = new StringBuilder();
        int last = 0;
        for (int[] match : findAll(pattern, input)) {
            sb.append(input, last, match[0]);
            if (literal) {
                sb.append(replacement);
            } else {
                expand(sb, replacement, pattern.namedGroups(), input, match);
            }
            last = match[1];
        }
        return sb.append(input, last, input.length()).toString();
    }

    /**
     * Go's Expand: $name or ${name}, a name being letters, digits and '_' (all digits: a group number); a group that
     * does not exist or took no part gives ""; $$ is a '$'; a '$' that starts no name stays as it is.
     */
    static void expand(StringBuilder sb, String template, Map<String, Integer> named, String input, int[] match) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            boolean braced = i + 1 < template.length() && template.charAt(i + 1) == '{';
            int nameStart = i + (braced ? 2 : 1);
            int j = nameStart;
            while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                j++;
            }
            String name = template.substring(nameStart, j);
            if (name.isEmpty() || (braced && (j >= template.length() || template.charAt(j) != '}'))) {
                sb.append('$');
                i++;
                continue;
            }
            int group = name.chars().allMatch(ch -> ch >= '0' && ch <= '9') ? groupNumber(name) : named.getOrDefault(name, -1);
            if (group >= 0 && 2 * group + 1 < match.length && match[2 * group] >= 0) {
                sb.append(input, match[2 * group], match[2 * group + 1]);
            }
            i = braced ? j + 1 : j;
        }
    }

    private static int groupNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }
}
