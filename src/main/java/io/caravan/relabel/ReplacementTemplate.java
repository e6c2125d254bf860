package io.caravan.relabel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A replacement or target_label template, expanded the way Go's {@code Regexp.ExpandString} does it:
 * {@code $$} is a dollar; {@code $name} and {@code ${name}} take the longest run of letters, digits and '_'
 * as the name ({@code $1x} names group "1x", not group 1 followed by "x"); an all-digit name is a group
 * number; a reference to a group that does not exist or did not take part is empty; a '$' that starts no
 * valid reference stays a literal '$'.
 * References are resolved against the regex once, when the rule is compiled.
 */
final class ReplacementTemplate {

    /** Go stops reading a group number at 1e8 and treats bigger ones as names. */
    private static final int MAX_GROUP_NUMBER = 100_000_000;

    private final String text;
    /** Non-null when the template has no live reference: its expansion is always this string. */
    private final String constant;
    /** Parts in order: literal text (group < 0) or a group reference (group >= 0). */
    private final String[] literals;
    private final int[] groups;
    /** Group number when the template is exactly one reference and nothing else, else -1. */
    private final int soleGroup;

    private ReplacementTemplate(String text, List<String> literals, List<Integer> groups) {
        this.text = text;
        this.literals = literals.toArray(new String[0]);
        this.groups = new int[groups.size()];
        boolean anyRef = false;
        for (int i = 0; i < this.groups.length; i++) {
            this.groups[i] = groups.get(i);
            anyRef |= this.groups[i] >= 0;
        }
        if (!anyRef) {
            StringBuilder sb = new StringBuilder();
            for (String l : this.literals) {
                sb.append(l);
            }
            constant = sb.toString();
        } else {
            constant = null;
        }
        soleGroup = this.groups.length == 1 && this.groups[0] >= 0 ? this.groups[0] : -1;
    }

    /** Parses {@code text}, resolving references against the groups of {@code regex}. */
    static ReplacementTemplate compile(String text, AnchoredRegex regex) {
        List<String> literals = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int groupCount = regex.groupCount();
        Map<String, Integer> names = regex.groupNames();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                pending.append(c);
                i++;
                continue;
            }
            i++; // past '$'
            if (i < n && text.charAt(i) == '$') {
                pending.append('$');
                i++;
                continue;
            }
            boolean brace = i < n && text.charAt(i) == '{';
            int nameStart = brace ? i + 1 : i;
            int nameEnd = nameStart;
            while (nameEnd < n) {
                int cp = text.codePointAt(nameEnd);
                if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                    break;
                }
                nameEnd += Character.charCount(cp);
            }
            boolean wellFormed = nameEnd > nameStart && (!brace || (nameEnd < n && text.charAt(nameEnd) == '}'));
            if (!wellFormed) {
                pending.append('$'); // Go keeps a malformed '$' as text and reads on after it
                continue;
            }
            String name = text.substring(nameStart, nameEnd);
            i = brace ? nameEnd + 1 : nameEnd;
            int group = groupNumber(name);
            if (group < 0) {
                Integer named = names.get(name);
                group = named == null ? -1 : named;
            } else if (group > groupCount) {
                group = -1;
            }
            if (group < 0) {
                continue; // a reference to nothing expands to nothing
            }
            if (pending.length() > 0) {
                literals.add(pending.toString());
                groups.add(-1);
                pending.setLength(0);
            }
            literals.add(null);
            groups.add(group);
        }
        if (pending.length() > 0) {
            literals.add(pending.toString());
            groups.add(-1);
        }
        return new ReplacementTemplate(text, literals, groups);
    }

    /** The group number an all-ASCII-digit name stands for, or -1 when it is a name (leading zero, too big, other chars). */
    private static int groupNumber(String name) {
        int num = 0;
        for (int k = 0; k < name.length(); k++) {
            char d = name.charAt(k);
            if (d < '0' || d > '9' || num >= MAX_GROUP_NUMBER) {
                return -1;
            }
            num = num * 10 + (d - '0');
        }
        if (name.length() > 1 && name.charAt(0) == '0') {
            return -1;
        }
        return num;
    }

    /** The template as written. */
    String text() {
        return text;
    }

    /** The expansion when it does not depend on the match, else null. */
    String constant() {
        return constant;
    }

    /** Whether the template needs the group spans of a match. */
    boolean needsSpans() {
        return constant == null;
    }

    /** The single group the template consists of, or -1. */
    int soleGroup() {
        return soleGroup;
    }

    /** Expands against a match of {@code src}; spans as filled by {@link AnchoredRegex#match}. */
    String expand(String src, int[] spans) {
        if (constant != null) {
            return constant;
        }
        if (soleGroup >= 0) {
            return group(src, spans, soleGroup);
        }
        StringBuilder sb = new StringBuilder(src.length() + 16);
        for (int k = 0; k < groups.length; k++) {
            int g = groups[k];
            if (g < 0) {
                sb.append(literals[k]);
            } else {
                int start = spans[g << 1];
                if (start >= 0) {
                    sb.append(src, start, spans[(g << 1) + 1]);
                }
            }
        }
        return sb.toString();
    }

    private static String group(String src, int[] spans, int g) {
        int start = spans[g << 1];
        if (start < 0) {
            return "";
        }
        return src.substring(start, spans[(g << 1) + 1]);
    }
}
