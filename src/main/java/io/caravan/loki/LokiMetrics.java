package io.caravan.loki;

import io.caravan.sink.SinkMeters;
import io.caravan.wal.SegmentLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** The sink's metrics: caravan_loki_entries_* (Alloy's loki_write_* family under Caravan's names), spill for the queue. */
final class LokiMetrics extends SinkMeters {

    private final Counter truncated;

    LokiMetrics(MeterRegistry registry, String sink) {
        super(registry, "caravan_loki", "entries", "spill", sink);
        truncated = counter("caravan_loki_entries_truncated", "Entries whose line was cut to maxLineSize (a marker appended)");
    }

    void gauges(Supplier<SegmentLog<LokiRecords.Piece>> log) {
        gauge("queue_entries", "Entries waiting to be sent (on disk, not yet acknowledged)", () -> value(log, SegmentLog::pendingEntries));
        gauge("queue_bytes", "Spilled bytes waiting to be sent", () -> value(log, SegmentLog::pendingBytes));
        gauge("spill_bytes", "Bytes the sink's spill directory holds", () -> value(log, SegmentLog::diskBytes));
    }

    private static long value(Supplier<SegmentLog<LokiRecords.Piece>> log, ToLongFunction<SegmentLog<LokiRecords.Piece>> f) {
        SegmentLog<LokiRecords.Piece> l = log.get();
        return l == null ? 0 : f.applyAsLong(l);
    }

    void truncated(long n) {
        truncated.increment(n);
    }

    @Override
    public void corrupt(long bytes) {
        super.corrupt(bytes);
        dropped("spill_corrupt", 0); // the reason shows (at 0: the entries are unknown) beside the bytes
    }
}
