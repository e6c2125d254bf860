package io.caravan.relabel;

import io.caravan.model.Labels;

/**
 * One validated rule ready to run: source names as an array, templates resolved against the regex, and the
 * decisions that do not depend on the input (is the target fixed? is the result simply the joined value?)
 * taken once. Immutable and thread-safe.
 */
final class CompiledRule {

    private final RelabelAction action;
    private final String[] sources;
    private final String separator;
    private final AnchoredRegex regex;
    private final String target;
    private final NameValidation names;
    private final long modulus;
    private final ReplacementTemplate replacement;
    private final ReplacementTemplate targetTemplate; // replace only
    /** replace: the target label when it does not depend on the match and is valid; null otherwise. */
    private final String fixedTarget;
    /** replace: true when the target is fixed but invalid, so the rule can never write anything. */
    private final boolean neverWrites;
    /** replace: true when the result is always the whole joined value (the default "(.*)" / "$1"). */
    private final boolean resultIsValue;
    private final boolean needsSpans;
    private final int spanLength;

    CompiledRule(RelabelRule rule, NameValidation names) {
        this.action = rule.action();
        this.sources = rule.sourceLabels().toArray(new String[0]);
        this.separator = rule.separator();
        this.regex = rule.regex();
        this.target = rule.targetLabel();
        this.names = names;
        this.modulus = rule.modulus();
        this.replacement = ReplacementTemplate.compile(rule.replacement(), regex);
        this.spanLength = (regex.groupCount() + 1) << 1;
        if (action == RelabelAction.REPLACE) {
            targetTemplate = ReplacementTemplate.compile(target, regex);
            String constant = targetTemplate.constant();
            fixedTarget = constant != null && names.isValid(constant) ? constant : null;
            neverWrites = constant != null && fixedTarget == null;
            int sole = replacement.soleGroup();
            resultIsValue = sole >= 0 && regex.groupIsWhole(sole);
            needsSpans = fixedTarget == null || (replacement.needsSpans() && !resultIsValue);
        } else {
            targetTemplate = null;
            fixedTarget = null;
            neverWrites = false;
            resultIsValue = false;
            needsSpans = action == RelabelAction.LABELMAP && replacement.needsSpans();
        }
    }

    /** keep, drop, keepequal and dropequal only read labels. */
    boolean isFilter() {
        return action == RelabelAction.KEEP || action == RelabelAction.DROP
                || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
    }

    /** For a filter rule: whether {@code in} survives it. */
    boolean keeps(Labels in) {
        String value = joined(in);
        switch (action) {
            case KEEP:
                return regex.matches(value);
            case DROP:
                return !regex.matches(value);
            case KEEPEQUAL:
                return in.getOrEmpty(target).equals(value);
            case DROPEQUAL:
                return !in.getOrEmpty(target).equals(value);
            default:
                throw new IllegalStateException(action + " is not a filter");
        }
    }

    /** Applies the rule to {@code b}; false when the label set is to be dropped. */
    boolean apply(Labels.Builder b) {
        switch (action) {
            case KEEP:
                return regex.matches(joined(b));
            case DROP:
                return !regex.matches(joined(b));
            case KEEPEQUAL:
                return b.getOrEmpty(target).equals(joined(b));
            case DROPEQUAL:
                return !b.getOrEmpty(target).equals(joined(b));
            case REPLACE:
                replace(b);
                return true;
            case LOWERCASE:
                b.set(target, GoCase.lower(joined(b)));
                return true;
            case UPPERCASE:
                b.set(target, GoCase.upper(joined(b)));
                return true;
            case HASHMOD:
                b.set(target, Long.toUnsignedString(HashMod.bucket(joined(b), modulus)));
                return true;
            case LABELMAP:
                labelMap(b);
                return true;
            case LABELDROP:
                dropNames(b, true);
                return true;
            case LABELKEEP:
                dropNames(b, false);
                return true;
            default:
                throw new IllegalStateException("unknown action " + action);
        }
    }

    private void replace(Labels.Builder b) {
        if (neverWrites) {
            return;
        }
        String value = joined(b);
        int[] spans = null;
        if (needsSpans) {
            spans = new int[spanLength];
            if (!regex.match(value, spans)) {
                return; // no match: leave everything as it is
            }
        } else if (!regex.matches(value)) {
            return;
        }
        String name = fixedTarget;
        if (name == null) {
            name = targetTemplate.expand(value, spans);
            if (!names.isValid(name)) {
                return; // Prometheus quietly skips a target name that expands to an invalid one
            }
        }
        String result = resultIsValue ? value : replacement.expand(value, spans);
        b.set(name, result); // an empty result deletes the label
    }

    /**
     * labelmap reads a snapshot of the labels in name order (Prometheus' builder iterates a copy too), so when two
     * names map to the same new name, the later one in name order wins, as it does in Prometheus for input labels.
     */
    private void labelMap(Labels.Builder b) {
        int n = b.size();
        String[] snapNames = new String[n];
        String[] snapValues = new String[n];
        for (int i = 0; i < n; i++) {
            String name = b.name(i);
            String value = b.value(i);
            int j = i - 1;
            while (j >= 0 && snapNames[j].compareTo(name) > 0) {
                snapNames[j + 1] = snapNames[j];
                snapValues[j + 1] = snapValues[j];
                j--;
            }
            snapNames[j + 1] = name;
            snapValues[j + 1] = value;
        }
        int[] spans = needsSpans ? new int[spanLength] : null;
        for (int i = 0; i < n; i++) {
            String name = snapNames[i];
            String mapped;
            if (needsSpans) {
                if (!regex.match(name, spans)) {
                    continue;
                }
                mapped = replacement.expand(name, spans);
            } else {
                if (!regex.matches(name)) {
                    continue;
                }
                mapped = replacement.constant();
            }
            if (names.isValid(mapped)) {
                b.set(mapped, snapValues[i]);
            }
        }
    }

    /** labeldrop (dropMatching) and labelkeep (!dropMatching). Walks backwards so deletions do not skip labels. */
    private void dropNames(Labels.Builder b, boolean dropMatching) {
        for (int i = b.size() - 1; i >= 0; i--) {
            String name = b.name(i);
            if (regex.matches(name) == dropMatching) {
                b.del(name);
            }
        }
    }

    /** Source values joined by the separator; absent labels count as "". */
    private String joined(Labels.Builder b) {
        switch (sources.length) {
            case 0:
                return "";
            case 1:
                return b.getOrEmpty(sources[0]);
            default:
                StringBuilder sb = new StringBuilder(64);
                for (int i = 0; i < sources.length; i++) {
                    if (i > 0) {
                        sb.append(separator);
                    }
                    String v = b.get(sources[i]);
                    if (v != null) {
                        sb.append(v);
                    }
                }
                return sb.toString();
        }
    }

    private String joined(Labels in) {
        switch (sources.length) {
            case 0:
                return "";
            case 1:
                return in.getOrEmpty(sources[0]);
            default:
                StringBuilder sb = new StringBuilder(64);
                for (int i = 0; i < sources.length; i++) {
                    if (i > 0) {
                        sb.append(separator);
                    }
                    String v = in.get(sources[i]);
                    if (v != null) {
                        sb.append(v);
                    }
                }
                return sb.toString();
        }
    }
}
