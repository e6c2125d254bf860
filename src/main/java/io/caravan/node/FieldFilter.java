package io.caravan.node;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * node_exporter's include/exclude device or field filter (deviceFilter): a name is ignored when it matches
 * the exclude pattern, or when an include pattern is set and it does not match. Decisions are cached per
 * name (names come from NameCache, so the same String instances recur), so the regex runs once per name.
 * Go's RE2 and java.util.regex agree on the simple default patterns used here.
 */
final class FieldFilter {

    private final Pattern exclude;
    private final Pattern include;
    private final Map<String, Boolean> cache = new HashMap<>();

    FieldFilter(String exclude, String include) {
        this.exclude = exclude == null || exclude.isEmpty() ? null : Pattern.compile(exclude);
        this.include = include == null || include.isEmpty() ? null : Pattern.compile(include);
    }

    static FieldFilter exclude(String regex) {
        return new FieldFilter(regex, null);
    }

    static FieldFilter include(String regex) {
        return new FieldFilter(null, regex);
    }

    boolean ignored(String name) {
        Boolean b = cache.get(name);
        if (b == null) {
            boolean ign = (exclude != null && exclude.matcher(name).find())
                || (include != null && !include.matcher(name).find());
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(name, ign);
            return ign;
        }
        return b;
    }

    boolean accepted(String name) {
        return !ignored(name);
    }
}
