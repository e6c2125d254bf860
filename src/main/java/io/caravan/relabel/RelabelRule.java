package io.caravan.relabel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One Prometheus relabel_config: source_labels, separator, regex, modulus, target_label, replacement, action,
 * with Prometheus' defaults (separator ";", regex "(.*)", replacement "$1", action replace).
 * The regex is compiled when it is set; {@link #validate(NameValidation)} applies the checks of
 * Prometheus' {@code relabel.Config.Validate}, in the same order, so the first complaint is the one Prometheus gives.
 */
public final class RelabelRule {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";

    private static final AnchoredRegex DEFAULT_COMPILED = AnchoredRegex.compile(DEFAULT_REGEX);

    private final List<String> sourceLabels; // null when not given (labeldrop/labelkeep tell "[]" from absent)
    private final String separator;
    private final AnchoredRegex regex;
    private final boolean regexGiven;
    private final long modulus; // unsigned
    private final String targetLabel;
    private final String replacement;
    private final RelabelAction action;

    private RelabelRule(Builder b) {
        this.sourceLabels = b.sourceLabels == null ? null : Collections.unmodifiableList(new ArrayList<>(b.sourceLabels));
        this.separator = b.separator;
        this.regex = b.regex;
        this.regexGiven = b.regexGiven;
        this.modulus = b.modulus;
        this.targetLabel = b.targetLabel;
        this.replacement = b.replacement;
        this.action = b.action;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Source labels in order; empty when none were given. */
    public List<String> sourceLabels() {
        return sourceLabels == null ? List.of() : sourceLabels;
    }

    public String separator() {
        return separator;
    }

    public AnchoredRegex regex() {
        return regex;
    }

    /** Unsigned, as Prometheus' uint64; 0 when not set. */
    public long modulus() {
        return modulus;
    }

    public String targetLabel() {
        return targetLabel;
    }

    public String replacement() {
        return replacement;
    }

    /** Null only when the YAML gave an empty action, which {@link #validate} rejects. */
    public RelabelAction action() {
        return action;
    }

    /**
     * Throws {@link RelabelConfigException} (without a location) when Prometheus would refuse this rule
     * under the given name scheme.
     */
    public void validate(NameValidation names) {
        if (sourceLabels != null) {
            for (String s : sourceLabels) {
                if (!names.isValid(s)) {
                    throw fail("\"" + s + "\" in source_labels is not a valid label name" + schemeHint(names));
                }
            }
        }
        if (action == null) {
            throw fail("relabel action cannot be empty; set action to one of " + RelabelAction.allNames());
        }
        boolean needsTarget = action == RelabelAction.REPLACE || action == RelabelAction.HASHMOD
                || action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE
                || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
        boolean equalOrCase = action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE
                || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
        if (modulus == 0 && action == RelabelAction.HASHMOD) {
            throw fail("relabel configuration for hashmod requires non-zero modulus; add e.g. 'modulus: 8'");
        }
        if (needsTarget && targetLabel.isEmpty()) {
            throw fail("relabel configuration for " + action + " action requires 'target_label' value;"
                    + " add the name of the label to write");
        }
        boolean targetHasDollar = targetLabel.indexOf('$') >= 0;
        if (action == RelabelAction.REPLACE && !targetHasDollar && !names.isValid(targetLabel)) {
            throw invalidTarget(names);
        }
        if (action == RelabelAction.REPLACE && targetHasDollar && !names.isValidTemplate(targetLabel)) {
            throw invalidTarget(names);
        }
        if (equalOrCase && !names.isValid(targetLabel)) {
            throw invalidTarget(names);
        }
        if (equalOrCase && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw fail("'replacement' can not be set for " + action + " action; remove it");
        }
        if (action == RelabelAction.LABELMAP && !names.isValidTemplate(replacement)) {
            throw fail("\"" + replacement + "\" is invalid 'replacement' for labelmap action; it must be a label name,"
                    + " optionally with $1 or ${name} references" + schemeHint(names));
        }
        if (action == RelabelAction.HASHMOD && !names.isValid(targetLabel)) {
            throw invalidTarget(names);
        }
        if (action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL) {
            // Prometheus compares the regex by identity: any regex written in the rule, even "(.*)", is refused.
            if (regexGiven || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
                    || !replacement.equals(DEFAULT_REPLACEMENT)) {
                throw fail(action + " action requires only 'source_labels' and `target_label`, and no other fields;"
                        + " remove regex, modulus, separator and replacement");
            }
        }
        if (action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP) {
            if (sourceLabels != null || !targetLabel.isEmpty() || modulus != 0
                    || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT)) {
                throw fail(action + " action requires only 'regex', and no other fields; remove source_labels,"
                        + " target_label, modulus, separator and replacement (" + action
                        + " matches label names against the regex)");
            }
        }
    }

    private RelabelConfigException invalidTarget(NameValidation names) {
        return fail("\"" + targetLabel + "\" is invalid 'target_label' for " + action + " action" + schemeHint(names));
    }

    private static String schemeHint(NameValidation names) {
        return names == NameValidation.LEGACY
                ? "; legacy names allow only [a-zA-Z_][a-zA-Z0-9_]* (drop --legacy-names to allow UTF-8 names)"
                : "; a label name must be non-empty, well-formed UTF-8";
    }

    private static RelabelConfigException fail(String reason) {
        return new RelabelConfigException(reason);
    }

    /** Prometheus-like YAML-ish rendering, for messages and debugging. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        if (sourceLabels != null) {
            sb.append("source_labels: ").append(sourceLabels).append(", ");
        }
        sb.append("separator: \"").append(separator).append("\", regex: \"").append(regex.source()).append('"');
        if (modulus != 0) {
            sb.append(", modulus: ").append(Long.toUnsignedString(modulus));
        }
        if (!targetLabel.isEmpty()) {
            sb.append(", target_label: \"").append(targetLabel).append('"');
        }
        sb.append(", replacement: \"").append(replacement).append("\", action: ").append(action);
        return sb.append('}').toString();
    }

    /** Starts from Prometheus' defaults. */
    public static final class Builder {
        private List<String> sourceLabels;
        private String separator = DEFAULT_SEPARATOR;
        private AnchoredRegex regex = DEFAULT_COMPILED;
        private boolean regexGiven;
        private long modulus;
        private String targetLabel = "";
        private String replacement = DEFAULT_REPLACEMENT;
        private RelabelAction action = RelabelAction.REPLACE;

        private Builder() {
        }

        public Builder sourceLabels(String... names) {
            return sourceLabels(Arrays.asList(names));
        }

        /** Null means "not given", which only labeldrop/labelkeep tell apart from an empty list. */
        public Builder sourceLabels(List<String> names) {
            this.sourceLabels = names == null ? null : new ArrayList<>(names);
            return this;
        }

        public Builder separator(String separator) {
            this.separator = separator == null ? "" : separator;
            return this;
        }

        /**
         * An explicit regex, compiled now: throws {@link RelabelConfigException} when RE2 refuses it.
         * Null means YAML null, which Prometheus reads as the empty regex.
         */
        public Builder regex(String regex) {
            this.regex = AnchoredRegex.compile(regex == null ? "" : regex);
            this.regexGiven = true;
            return this;
        }

        /** Unsigned 64-bit, as in Prometheus. */
        public Builder modulus(long modulus) {
            this.modulus = modulus;
            return this;
        }

        public Builder targetLabel(String targetLabel) {
            this.targetLabel = targetLabel == null ? "" : targetLabel;
            return this;
        }

        public Builder replacement(String replacement) {
            this.replacement = replacement == null ? "" : replacement;
            return this;
        }

        /** Null stands for an empty action, which validation refuses. */
        public Builder action(RelabelAction action) {
            this.action = action;
            return this;
        }

        /** The rule as given; see {@link RelabelRule#validate} for Prometheus' checks. */
        public RelabelRule build() {
            return new RelabelRule(this);
        }
    }
}
