package io.caravan.discovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code caravan_discovery_errors_total{role, reason}}: every failed list or watch (forbidden, unauthorized,
 * unreachable, tls, http_NNN, other) and every object that could not become targets (bad_object), so an
 * operator sees a discovery that keeps failing on /actuator/prometheus, not only in the last error.
 */
final class DiscoveryMetrics {

    private final MeterRegistry registry;
    private final String role;

    DiscoveryMetrics(MeterRegistry registry, String role) {
        this.registry = registry;
        this.role = role;
    }

    void error(String reason) {
        Counter.builder("caravan_discovery_errors").description("Failed lists and watches of the API server, and objects skipped, by reason")
                .tag("role", role).tag("reason", reason).register(registry).increment();
    }
}
