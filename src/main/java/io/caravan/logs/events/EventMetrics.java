package io.caravan.logs.events;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code caravan_k8s_events_delivered_total{name}} (events the route took), {@code caravan_k8s_events_skipped_total
 * {name, reason}} (events that cannot be an entry: no involved object) and {@code caravan_k8s_events_errors_total
 * {name, reason}} (lists and watches that failed: http_NNN, or unreachable).
 */
final class EventMetrics {

    private final MeterRegistry registry;
    private final String name;
    private final Counter delivered;

    EventMetrics(MeterRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
        this.delivered = Counter.builder("caravan_k8s_events_delivered").description("Kubernetes events the route took")
                .tag("name", name).register(registry);
    }

    void delivered(int n) {
        delivered.increment(n);
    }

    void skipped(String reason) {
        Counter.builder("caravan_k8s_events_skipped").description("Kubernetes events that cannot be a log entry, by reason")
                .tag("name", name).tag("reason", reason).register(registry).increment();
    }

    void error(Throwable e) {
        String reason = e instanceof KubernetesClientException k && k.getCode() > 0 ? "http_" + k.getCode() : "unreachable";
        Counter.builder("caravan_k8s_events_errors").description("Failed lists and watches of events, by reason")
                .tag("name", name).tag("reason", reason).register(registry).increment();
    }
}
