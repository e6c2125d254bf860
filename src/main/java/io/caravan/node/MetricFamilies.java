package io.caravan.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The families one collector fills in one scrape. Families are kept across scrapes and reset, so a
 * collector that asks for the same family every scrape gets the same object back and allocates nothing.
 */
public final class MetricFamilies {

    private final Map<String, MetricFamily> byName = new HashMap<>();
    private final List<MetricFamily> all = new ArrayList<>();

    /** The family of that name, made on first use; help, type and label names must not change between calls. */
    public MetricFamily family(String name, String help, MetricType type, String... labelNames) {
        MetricFamily f = byName.get(name);
        if (f == null) {
            f = new MetricFamily(name, help, type, labelNames);
            byName.put(name, f);
            all.add(f);
        }
        return f;
    }

    /** Like {@link #family} but for a family made earlier; null if none. */
    public MetricFamily get(String name) {
        return byName.get(name);
    }

    void reset() {
        for (int i = 0; i < all.size(); i++) {
            all.get(i).reset();
        }
    }

    /** Families that have at least one sample. */
    void nonEmpty(List<MetricFamily> into) {
        for (int i = 0; i < all.size(); i++) {
            MetricFamily f = all.get(i);
            if (f.size() > 0) {
                into.add(f);
            }
        }
    }
}
