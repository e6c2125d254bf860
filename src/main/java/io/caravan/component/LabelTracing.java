package io.caravan.component;

import io.caravan.model.Labels;

import java.util.List;

/**
 * A component whose steps can show, rule by rule, what they do to one label set: the relabel debugger. The UI
 * asks through this, not through the relabel package.
 */
public interface LabelTracing {

    /** One rule's effect: its number (from 1, as in errors), the rule, UNCHANGED/CHANGED/DROPPED, the labels before and after (null when dropped). */
    record Step(int rule, String config, String outcome, Labels before, Labels after) {
    }

    /** The label sets the step last saw (empty before its first exchange); null when no such step runs. */
    List<Labels> lastInput(String step);

    /** The input taken through the step's rules; null when no such step runs. */
    List<Step> trace(String step, Labels input);
}
