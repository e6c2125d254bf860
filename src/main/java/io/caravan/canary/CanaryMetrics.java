package io.caravan.canary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * caravan_canary_*{canary=NAME}: markers sent, found, missing by reason, outstanding, the query failures, and of the
 * last marker found when (last_found_timestamp_seconds) and how long after it was sent (latency_seconds). Alert on
 * {@code increase(caravan_canary_markers_missing_total[10m]) > 0} or on the last found time falling behind.
 */
final class CanaryMetrics {

    private final MeterRegistry registry;
    private final String canary;
    private final Counter sent;
    private final Counter found;
    private final Counter notFound;
    private final Counter unchecked;
    private final Counter queryFailures;
    private final AtomicLong lastFoundMs = new AtomicLong();
    private final AtomicLong lastLatencyMs = new AtomicLong(-1);

    CanaryMetrics(MeterRegistry registry, String canary, Supplier<Number> outstanding) {
        this.registry = registry;
        this.canary = canary;
        sent = counter("caravan_canary_markers_sent", "Markers handed to the route");
        found = counter("caravan_canary_markers_found", "Markers the store's query API returned");
        notFound = Counter.builder("caravan_canary_markers_missing").description("Markers not found within missingAfter: "
                + "not_found (the store answered without them), unchecked (its query API failed)").tag("canary", canary)
                .tag("reason", MarkerBook.NOT_FOUND).register(registry);
        unchecked = Counter.builder("caravan_canary_markers_missing").tag("canary", canary).tag("reason", MarkerBook.UNCHECKED)
                .register(registry);
        queryFailures = counter("caravan_canary_query_failures", "Read-back queries that failed");
        Gauge.builder("caravan_canary_outstanding", outstanding).description("Markers sent and not yet found")
                .tag("canary", canary).register(registry);
        Gauge.builder("caravan_canary_last_found_timestamp_seconds", lastFoundMs, v -> v.get() / 1000.0)
                .description("When a marker was last found (0: none yet)").tag("canary", canary).register(registry);
        Gauge.builder("caravan_canary_latency_seconds", lastLatencyMs, v -> v.get() < 0 ? Double.NaN : v.get() / 1000.0)
                .description("From send to found, of the last marker found (to within checkInterval)").tag("canary", canary)
                .register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("canary", canary).register(registry);
    }

    void sent() {
        sent.increment();
    }

    void found(long atMs, long latencyMs) {
        found.increment();
        lastFoundMs.set(atMs);
        lastLatencyMs.set(latencyMs);
    }

    void missing(String reason, int n) {
        (MarkerBook.UNCHECKED.equals(reason) ? unchecked : notFound).increment(n);
    }

    void queryFailed() {
        queryFailures.increment();
    }

    long sentCount() {
        return (long) sent.count();
    }

    long foundCount() {
        return (long) found.count();
    }

    long missingCount() {
        return (long) (notFound.count() + unchecked.count());
    }

    long lastFoundMs() {
        return lastFoundMs.get();
    }

    long lastLatencyMs() {
        return lastLatencyMs.get();
    }
}
