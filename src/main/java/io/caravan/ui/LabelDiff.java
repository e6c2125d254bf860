package io.caravan.ui;

import io.caravan.model.Labels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one relabel rule did to a label set: the labels it added, changed and removed, so the debugger shows the
 * change and not the whole set again after every rule.
 *
 * @param changed each changed label's value before and after, as {from, to}
 */
record LabelDiff(Map<String, String> added, Map<String, Map<String, String>> changed, Map<String, String> removed) {

    static final LabelDiff NONE = new LabelDiff(Map.of(), Map.of(), Map.of());

    static LabelDiff between(Labels before, Labels after) {
        Map<String, String> was = before.toMap();
        Map<String, String> is = after.toMap();
        Map<String, String> added = new TreeMap<>();
        Map<String, Map<String, String>> changed = new TreeMap<>();
        Map<String, String> removed = new TreeMap<>();
        is.forEach((name, value) -> {
            String old = was.get(name);
            if (old == null) {
                added.put(name, value);
            } else if (!old.equals(value)) {
                Map<String, String> change = new LinkedHashMap<>();
                change.put("from", old);
                change.put("to", value);
                changed.put(name, change);
            }
        });
        was.forEach((name, value) -> {
            if (!is.containsKey(name)) {
                removed.put(name, value);
            }
        });
        return new LabelDiff(added, changed, removed);
    }
}
