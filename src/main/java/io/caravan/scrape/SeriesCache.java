package io.caravan.scrape;

import io.caravan.model.Labels;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-target memory of the series seen, keyed by the raw bytes of {@code name{labels}} in the body (as
 * Prometheus' scrape cache is): a series seen before costs a map lookup instead of label parsing,
 * target-label merging and metric relabeling. It is also how staleness is found: a series present in the
 * last scrape and absent in this one gets a staleness marker.
 */
final class SeriesCache {

    static final class Entry {
        final Labels labels; // null when metric relabeling dropped the series
        final long created;   // scrape iteration that first saw the series
        long lastSeen;        // scrape iteration in which the series last appeared
        boolean explicitTimestamp;

        Entry(Labels labels, long created) {
            this.labels = labels;
            this.created = created;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long iteration;

    long beginScrape() {
        return ++iteration;
    }

    long iteration() {
        return iteration;
    }

    Entry get(String rawSeries) {
        return entries.get(rawSeries);
    }

    Entry put(String rawSeries, Labels labels) {
        Entry e = new Entry(labels, iteration);
        entries.put(rawSeries, e);
        return e;
    }

    /**
     * Ends a successful scrape: every series seen in the previous scrape but not in this one goes to
     * {@code stale} (unless it carried its own timestamps, which Prometheus never marks stale), and
     * entries not seen this time are forgotten.
     */
    void endScrape(Consumer<Labels> stale) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.lastSeen != iteration) {
                if (e.lastSeen == iteration - 1 && e.labels != null && !e.explicitTimestamp) {
                    stale.accept(e.labels);
                }
                it.remove();
            }
        }
    }

    /**
     * Ends a failed scrape: what the last good scrape delivered goes stale (Prometheus does the same),
     * and the cache starts afresh.
     */
    void failScrape(Consumer<Labels> stale) {
        for (Entry e : entries.values()) {
            boolean deliveredLastTime = e.lastSeen == iteration - 1 || (e.lastSeen == iteration && e.created < iteration);
            if (deliveredLastTime && e.labels != null && !e.explicitTimestamp) {
                stale.accept(e.labels);
            }
        }
        entries.clear();
    }

    /** The target is gone: every series of its last scrape goes stale. */
    void endOfLife(Consumer<Labels> stale) {
        for (Entry e : entries.values()) {
            if (e.lastSeen == iteration && e.labels != null && !e.explicitTimestamp) {
                stale.accept(e.labels);
            }
        }
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
