package io.caravan.loki;

import io.caravan.sink.PushClient;
import io.caravan.sink.SinkMetrics;
import io.caravan.wal.SegmentLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The sink's metrics, tagged with sink=NAME (Alloy's loki_write_* family under Caravan's names). */
final class LokiMetrics implements SinkMetrics {

    private final MeterRegistry registry;
    private final String sink;
    private final Counter in;
    private final Counter sent;
    private final Counter sentBytes;
    private final Counter retried;
    private final Counter truncated;
    private final Counter corruptBytes;
    private final Timer requests;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    LokiMetrics(MeterRegistry registry, String sink) {
        this.registry = registry;
        this.sink = sink;
        in = counter("caravan_loki_entries_in", "Entries handed to the sink (after the line size policy)");
        sent = counter("caravan_loki_entries_sent", "Entries the receiver acknowledged");
        sentBytes = counter("caravan_loki_sent_bytes", "Compressed request bytes the receiver acknowledged");
        retried = counter("caravan_loki_entries_retried", "Entries in requests that were retried");
        truncated = counter("caravan_loki_entries_truncated", "Entries whose line was cut to maxLineSize (a marker appended)");
        corruptBytes = counter("caravan_loki_spill_corrupt_bytes", "Bytes of damaged spill records skipped");
        requests = Timer.builder("caravan_loki_request_duration").description("Push request latency")
                .tag("sink", sink).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("sink", sink).register(registry);
    }

    void gauges(Supplier<SegmentLog<LokiRecords.Piece>> log) {
        Gauge.builder("caravan_loki_queue_entries", () -> value(log, SegmentLog::pendingEntries))
                .description("Entries waiting to be sent (on disk, not yet read by the sender)").tag("sink", sink).register(registry);
        Gauge.builder("caravan_loki_queue_bytes", () -> value(log, SegmentLog::pendingBytes))
                .description("Spilled bytes waiting to be sent").tag("sink", sink).register(registry);
        Gauge.builder("caravan_loki_spill_bytes", () -> value(log, SegmentLog::diskBytes))
                .description("Bytes the sink's spill directory holds").tag("sink", sink).register(registry);
    }

    private static double value(Supplier<SegmentLog<LokiRecords.Piece>> log,
                                java.util.function.ToLongFunction<SegmentLog<LokiRecords.Piece>> f) {
        SegmentLog<LokiRecords.Piece> l = log.get();
        return l == null ? 0 : f.applyAsLong(l);
    }

    void in(long n) {
        in.increment(n);
    }

    @Override
    public void sent(long entries) {
        sent.increment(entries);
    }

    @Override
    public void retried(long n) {
        retried.increment(n);
    }

    void truncated(long n) {
        truncated.increment(n);
    }

    @Override
    public void request(long nanos, PushClient.Outcome outcome, int bodyBytes) {
        requests.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.kind() == PushClient.Outcome.Kind.SENT) {
            sentBytes.increment(bodyBytes);
        }
    }

    @Override
    public void overLimit(long entries) {
        dropped("spill_full", entries);
    }

    @Override
    public void dropped(String reason, long n) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("caravan_loki_entries_dropped")
                .description("Entries lost, by reason").tag("sink", sink).tag("reason", r).register(registry)).increment(n);
    }

    @Override
    public void corrupt(long bytes) {
        corruptBytes.increment(bytes);
        dropped("spill_corrupt", 0);
    }

    double sentTotal() {
        return sent.count();
    }
}
