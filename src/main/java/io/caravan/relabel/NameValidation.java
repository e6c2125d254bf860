package io.caravan.relabel;

import com.google.re2j.Pattern;

/**
 * Which label names a rule set may write. Prometheus 3 defaults to UTF-8 names (any non-empty, well-formed
 * text); the legacy scheme is the Prometheus 2 character set {@code [a-zA-Z_][a-zA-Z0-9_]*}.
 */
public enum NameValidation {

    /** Prometheus 3 default: any non-empty name that is well-formed Unicode. */
    UTF8 {
        @Override
        public boolean isValid(String name) {
            return !name.isEmpty() && isWellFormed(name);
        }

        @Override
        boolean isValidTemplate(String template) {
            // Prometheus checks a template with $-references like a plain name under UTF-8 rules.
            return isValid(template);
        }
    },

    /** Prometheus 2 names: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    LEGACY {
        @Override
        public boolean isValid(String name) {
            int n = name.length();
            if (n == 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                char c = name.charAt(i);
                boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                if (!letter && (i == 0 || c < '0' || c > '9')) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean isValidTemplate(String template) {
            return LEGACY_TEMPLATE.matches(template);
        }
    };

    /**
     * A legacy name in which "$1", "$name" or "${name}" may stand for letters: the shape Prometheus
     * accepts for a replace target_label or a labelmap replacement under the legacy scheme.
     */
    private static final Pattern LEGACY_TEMPLATE =
            Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

    /** Whether a finished label name may be written. */
    public abstract boolean isValid(String name);

    /** Whether a target_label (replace) or replacement (labelmap) containing '$' references is acceptable. */
    abstract boolean isValidTemplate(String template);

    /** Java strings are UTF-16; the counterpart of Go's invalid UTF-8 is an unpaired surrogate. */
    static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
