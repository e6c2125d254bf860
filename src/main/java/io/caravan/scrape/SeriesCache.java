package io.caravan.scrape;

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
        final byte[] key;     // the raw bytes of name{labels}
        final int keyHash;
        final Labels labels; // null when metric relabeling dropped the series
        final long created;   // scrape iteration that first saw the series
        long lastSeen;        // scrape iteration in which the series last appeared
        boolean explicitTimestamp;
        Entry next;           // same bucket

        Entry(byte[] key, int keyHash, Labels labels, long created) {
            this.key = key;
            this.keyHash = keyHash;
            this.labels = labels;
            this.created = created;
        }
    }

    // A hash table on byte ranges rather than a HashMap<String, Entry>: a lookup hashes and compares the
    // body's bytes where they are, with no String copy per sample (the scrape path's hottest line).
    private Entry[] table = new Entry[64];
    private int size;
    private long iteration;

    long beginScrape() {
        return ++iteration;
    }

    long iteration() {
        return iteration;
    }

    Entry get(byte[] buf, int off, int len) {
        int h = hash(buf, off, len);
        for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
            if (e.keyHash == h && java.util.Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
                return e;
            }
        }
        return null;
    }

    Entry put(byte[] buf, int off, int len, Labels labels) {
        int h = hash(buf, off, len);
        Entry e = new Entry(java.util.Arrays.copyOfRange(buf, off, off + len), h, labels, iteration);
        int i = h & (table.length - 1);
        e.next = table[i];
        table[i] = e;
        if (++size > table.length - (table.length >> 2)) {
            resize(table.length << 1);
        }
        return e;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 1;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private void resize(int capacity) {
        Entry[] old = table;
        table = new Entry[capacity];
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.next;
                int i = e.keyHash & (capacity - 1);
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
