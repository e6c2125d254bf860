package io.caravan.component;

import java.time.Instant;
import java.util.Map;

/**
 * One sink's delivery ledger for its current run (since it opened its queue on disk), read at one moment: nothing
 * moved while it was read, so {@code produced = acknowledged + dropped + queued} holds unless the sink lost count of
 * something. Counts are entries or samples.
 *
 * @param component    the sink's Camel scheme: "remote-write", "loki"
 * @param sink         the sink's name
 * @param since        when this run's counts started (the sink's start)
 * @param produced     carriedOver plus what the sink was handed since it started (before its own drops)
 * @param carriedOver  what the queue held, unacknowledged, when it was opened: left on disk by the last run
 * @param persisted    what this run wrote to the queue on disk
 * @param acknowledged what left the queue because the receiver answered 2xx for it
 * @param dropped      what was lost, by reason: before the queue (line_too_long, wal_write_error, ...) or after it
 *                     (wal_full, too_old, rejected, http_400, partial_write, ...)
 * @param queued       what the queue holds now, not yet acknowledged or dropped, as the queue itself counts it
 * @param sources      what each source route handed the sink since it started (they add up to produced - carriedOver)
 */
public record SinkLedger(String component, String sink, Instant since, long produced, long carriedOver, long persisted,
                         long acknowledged, Map<String, Long> dropped, long queued, Map<String, Long> sources) {

    public SinkLedger {
        dropped = Map.copyOf(dropped);
        sources = Map.copyOf(sources);
    }

    public long droppedTotal() {
        long n = 0;
        for (long d : dropped.values()) {
            n += d;
        }
        return n;
    }

    /** produced - (acknowledged + dropped + queued): 0 when the ledger balances. */
    public long imbalance() {
        return produced - (acknowledged + droppedTotal() + queued);
    }
}
