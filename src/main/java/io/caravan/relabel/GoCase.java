package io.caravan.relabel;

/**
 * Lower- and upper-casing as Go's strings.ToLower/ToUpper do it: one code point at a time with Unicode's
 * simple mappings. Java's String.toLowerCase/toUpperCase use full, context-dependent mappings ("ß" becomes
 * "SS", "İ" becomes "i̇", a final "Σ" becomes "ς") and would disagree with Prometheus.
 */
final class GoCase {

    private GoCase() {
    }

    static String lower(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) { // find the first character that changes; most values are already lower case
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(Character.toLowerCase(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    static String upper(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'a' && c <= 'z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(Character.toUpperCase(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }
}
