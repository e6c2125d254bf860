package io.caravan.sink;

import java.util.HashMap;
import java.util.Map;

/**
 * What the entries of the batch a sender is on came to: sent (the receiver answered 2xx) or dropped by reason. Counted
 * into the sink's meters only when the batch is acknowledged in the queue, in the same step ({@link LedgerGate}), so
 * an entry is never both acknowledged and still queued in the ledger. A batch the sender stops on without
 * acknowledging stays queued and is sent again at the next start: what parts of it came to is then forgotten.
 * One per sender thread, reused batch after batch.
 */
final class Settlement {

    private long sent;
    private long overLimit;
    private final Map<String, long[]> dropped = new HashMap<>(); // kept across batches: a reason costs one allocation, once

    void sent(long n) {
        sent += n;
    }

    void dropped(String reason, long n) {
        long[] count = dropped.get(reason);
        if (count == null) {
            count = new long[1];
            dropped.put(reason, count);
        }
        count[0] += n;
    }

    /** Entries lost with a segment the queue's size bound deleted (the sink's QUEUE_full reason). */
    void overLimit(long n) {
        overLimit += n;
    }

    /** Entries this settlement accounts for. */
    long entries() {
        long n = sent + overLimit;
        for (long[] c : dropped.values()) {
            n += c[0];
        }
        return n;
    }

    /** Counts it into the metrics, then starts over. */
    void applyTo(SinkMetrics metrics) {
        if (sent > 0) {
            metrics.sent(sent);
        }
        if (overLimit > 0) {
            metrics.overLimit(overLimit);
        }
        for (Map.Entry<String, long[]> e : dropped.entrySet()) {
            if (e.getValue()[0] > 0) {
                metrics.dropped(e.getKey(), e.getValue()[0]);
            }
        }
        clear();
    }

    void clear() {
        sent = 0;
        overLimit = 0;
        for (long[] c : dropped.values()) {
            c[0] = 0;
        }
    }
}
