package io.caravan.scrape;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;

import java.util.function.Consumer;

/**
 * Per-target memory of the series seen, keyed by the raw bytes of {@code name{labels}} in the body (as
 * Prometheus' scrape cache is): a series seen before costs a map lookup instead of label parsing,
 * target-label merging and metric relabeling. It is also how staleness is found: a series present in the
 * last scrape and absent in this one gets a staleness marker.
 */
final class SeriesCache {

    static final class Entry {
        final long keyHash;   // 64-bit hash of the raw bytes of name{labels}
        final int keyLength;
        Labels labels;        // null when metric relabeling dropped the series
        final long created;   // scrape iteration that first saw the series
        int settingsGeneration; // the job settings labels was computed under (see relabelAgain)
        long lastSeen;        // scrape iteration in which the series last appeared
        boolean explicitTimestamp;
        Exemplar lastExemplar; // the last exemplar passed on, or null: an equal one is not sent again
        Entry next;           // same bucket

        Entry(long keyHash, int keyLength, Labels labels, long created) {
            this.keyHash = keyHash;
            this.keyLength = keyLength;
            this.labels = labels;
            this.created = created;
        }
    }

    // A hash table on byte ranges rather than a HashMap<String, Entry>: a lookup hashes the body's bytes
    // where they are, with no String copy per sample (the scrape path's hottest line). Series are told
    // apart by length and a 64-bit hash, not by keeping and comparing their text: that read of cold memory
    // was most of a lookup, and the text most of an entry. Two of a target's series colliding would take
    // ~2^64 / n^2 scrapes of n series (for 2,000 series, about 10^12 years at one scrape a second).
    private Entry[] table = new Entry[64];
    private int size;
    private long iteration;
    private int settingsGeneration;

    /**
     * The job's settings changed (a reload): each series' labels are computed again when it is next seen, under
     * the new target labels and metric relabeling; the staleness memory stays (see {@link #relabelled}).
     */
    void relabelAgain() {
        settingsGeneration++;
    }

    /** Whether the entry's labels were computed under the current settings. */
    boolean current(Entry e) {
        return e.settingsGeneration == settingsGeneration;
    }

    /**
     * The entry's labels computed again: when they differ, what the last scrape delivered under the old labels goes to
     * stale (that series ends; the new one starts), as a series gone from a body does.
     */
    void relabelled(Entry e, Labels labels, Consumer<Labels> stale) {
        if (!java.util.Objects.equals(e.labels, labels) && e.labels != null && e.lastSeen == iteration - 1 && !e.explicitTimestamp) {
            stale.accept(e.labels);
        }
        e.labels = labels;
        e.settingsGeneration = settingsGeneration;
    }

    long beginScrape() {
        return ++iteration;
    }

    long iteration() {
        return iteration;
    }

    Entry get(byte[] buf, int off, int len) {
        long h = SeriesHash.of(buf, off, len);
        for (Entry e = table[index(h, table.length)]; e != null; e = e.next) {
            if (e.keyHash == h && e.keyLength == len) {
                return e;
            }
        }
        return null;
    }

    Entry put(byte[] buf, int off, int len, Labels labels) {
        long h = SeriesHash.of(buf, off, len);
        Entry e = new Entry(h, len, labels, iteration);
        e.settingsGeneration = settingsGeneration;
        int i = index(h, table.length);
        e.next = table[i];
        table[i] = e;
        if (++size > table.length - (table.length >> 2)) {
            resize(table.length << 1);
        }
        return e;
    }

    private static int index(long hash, int capacity) {
        return (int) (hash ^ (hash >>> 32)) & (capacity - 1);
    }

    private void resize(int capacity) {
        Entry[] old = table;
        table = new Entry[capacity];
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.next;
                int i = index(e.keyHash, capacity);
                e.next = table[i];
                table[i] = e;
                e = next;
            }
        }
    }

    /** Removes the entries the predicate picks, handing each to the callback first. */
    private void removeIf(java.util.function.Predicate<Entry> remove) {
        for (int i = 0; i < table.length; i++) {
            Entry prev = null;
            for (Entry e = table[i]; e != null; e = e.next) {
                if (remove.test(e)) {
                    if (prev == null) {
                        table[i] = e.next;
                    } else {
                        prev.next = e.next;
                    }
                    size--;
                } else {
                    prev = e;
                }
            }
        }
        if (table.length > 64 && size < table.length >> 3) {
            resize(Math.max(64, Integer.highestOneBit(Math.max(1, size)) << 2));
        }
    }

    private void forEach(Consumer<Entry> action) {
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                action.accept(e);
            }
        }
    }

    private void clear() {
        java.util.Arrays.fill(table, null);
        size = 0;
    }

    /**
     * Ends a successful scrape: every series seen in the previous scrape but not in this one goes to
     * {@code stale} (unless it carried its own timestamps, which Prometheus never marks stale), and
     * entries not seen this time are forgotten.
     */
    void endScrape(Consumer<Labels> stale) {
        removeIf(e -> {
            if (e.lastSeen == iteration) {
                return false;
            }
            if (e.lastSeen == iteration - 1 && e.labels != null && !e.explicitTimestamp) {
                stale.accept(e.labels);
            }
            return true;
        });
    }

    /**
     * Ends a failed scrape: what the last good scrape delivered goes stale (Prometheus does the same),
     * and the cache starts afresh.
     */
    void failScrape(Consumer<Labels> stale) {
        forEach(e -> {
            boolean deliveredLastTime = e.lastSeen == iteration - 1 || (e.lastSeen == iteration && e.created < iteration);
            if (deliveredLastTime && e.labels != null && !e.explicitTimestamp) {
                stale.accept(e.labels);
            }
        });
        clear();
    }

    /** The target is gone: every series of its last scrape goes stale. */
    void endOfLife(Consumer<Labels> stale) {
        forEach(e -> {
            if (e.lastSeen == iteration && e.labels != null && !e.explicitTimestamp) {
                stale.accept(e.labels);
            }
        });
        clear();
    }

    int size() {
        return size;
    }
}
