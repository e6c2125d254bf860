package io.caravan.sink;

import io.caravan.wal.SegmentLog;

/**
 * What a {@link Sender} counts, under each sink's own metric names (caravan_loki_*, caravan_remote_write_*):
 * entries are log entries or samples. The segment log's own events (appended, carried over from the last run, over
 * its bound, damaged records) come through {@link SegmentLog.Events}.
 */
public interface SinkMetrics extends SegmentLog.Events {

    /** One request and how long it took; bodyBytes of a SENT one count as sent bytes. */
    void request(long nanos, PushClient.Outcome outcome, int bodyBytes);

    /** Entries the receiver took (counted as their batch is acknowledged in the queue). */
    void sent(long entries);

    /** Entries in a request that is retried. */
    void retried(long entries);

    /** Entries lost for a reason ("http_401", "too_old", "wal_full", ...). */
    void dropped(String reason, long entries);

    /** The gate the sink's steps pass, so that its ledger is read between them. */
    LedgerGate gate();
}
