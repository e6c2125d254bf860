package io.caravan.canary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The markers a canary sent and has not yet found again, each with the time it was sent: a marker's id is that time
 * in milliseconds (made unique), which is also what the metric marker carries as its value and the log marker in its
 * line, so whatever a read-back query returns names the markers it found. A marker not found within
 * {@code missingAfterMs} is missing: {@code not_found} when the checks in its time answered, {@code unchecked} when
 * the last one failed (the store may hold it; the canary could not tell). Guarded by its owner.
 */
final class MarkerBook {

    /** What became of one marker. */
    record Found(long id, long latencyMs) {
    }

    static final String NOT_FOUND = "not_found";
    static final String UNCHECKED = "unchecked";
    /** Most markers outstanding: at one a minute, over 16 hours of a store that never answers. */
    static final int MAX_OUTSTANDING = 1_000;

    private final long missingAfterMs;
    private final Map<Long, Long> outstanding = new LinkedHashMap<>(); // id -> sent at (ms), oldest first
    private long lastId;

    MarkerBook(long missingAfterMs) {
        this.missingAfterMs = missingAfterMs;
    }

    /** A new marker sent now; its id, later than every earlier one. */
    long send(long nowMs) {
        long id = Math.max(nowMs, lastId + 1);
        lastId = id;
        outstanding.put(id, nowMs);
        return id;
    }

    /** The marker could not be sent (the route refused it): not waited for. */
    void unsent(long id) {
        outstanding.remove(id);
    }

    /** The outstanding markers among the ids a query returned, taken off the book with how long each took. */
    List<Found> found(Collection<Long> ids, long nowMs) {
        List<Found> found = new ArrayList<>();
        for (Long id : ids) {
            Long sentAt = outstanding.remove(id);
            if (sentAt != null) {
                found.add(new Found(id, Math.max(0, nowMs - sentAt)));
            }
        }
        return found;
    }

    /**
     * The markers past missingAfter (and the oldest beyond {@link #MAX_OUTSTANDING}), taken off the book: counted as
     * missing by the caller under {@code reason}.
     */
    int expire(long nowMs) {
        int expired = 0;
        Iterator<Map.Entry<Long, Long>> it = outstanding.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (nowMs - e.getValue() < missingAfterMs && outstanding.size() <= MAX_OUTSTANDING) {
                break; // oldest first: the rest are younger
            }
            it.remove();
            expired++;
        }
        return expired;
    }

    /** When the oldest outstanding marker was sent, or -1: where a read-back query must start. */
    long oldestSentAt() {
        return outstanding.isEmpty() ? -1 : outstanding.values().iterator().next();
    }

    int outstanding() {
        return outstanding.size();
    }
}
