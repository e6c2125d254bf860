package io.caravan.relabel;

import io.caravan.model.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * The relabel debugger's answer: a label set taken through a rule list one rule at a time, showing which
 * rule kept, changed or dropped it. Built from the same compiled rules, so it cannot disagree with the
 * pipeline; too slow for the hot path (one set per rule), fine for an operator's click.
 */
public final class RelabelTrace {

    public enum Outcome { UNCHANGED, CHANGED, DROPPED }

    /** One rule's effect: rule number (from 1, as in errors), the rule, and the labels before and after. */
    public record Step(int ruleNumber, String rule, Outcome outcome, Labels before, Labels after) {
    }

    private RelabelTrace() {
    }

    public static List<Step> of(RelabelRules rules, Labels input) {
        List<Step> steps = new ArrayList<>(rules.size());
        Labels current = input;
        int n = 1;
        for (RelabelRule rule : rules.rules()) {
            Labels after = RelabelRules.of(List.of(rule), rules.nameValidation()).apply(current);
            Outcome outcome = after == null ? Outcome.DROPPED : after.equals(current) ? Outcome.UNCHANGED : Outcome.CHANGED;
            steps.add(new Step(n++, rule.toString(), outcome, current, after));
            if (after == null) {
                break;
            }
            current = after;
        }
        return steps;
    }
}
