package io.caravan.logs.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters the stages share: entries dropped by reason (Alloy's loki_process_dropped_lines_total under
 * Caravan's name) and lines the json stage could not parse; and where the metrics stage's own metrics go.
 */
final class StageMetrics {

    static final String DROPPED = "caravan_logs_dropped_entries";

    private final MeterRegistry registry;
    private final String pipeline;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Counter malformedJson;

    StageMetrics(MeterRegistry registry, String pipeline) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.malformedJson = Counter.builder("caravan_logs_json_malformed_entries")
                .description("Lines the json stage could not parse as a JSON object")
                .tag("pipeline", pipeline).register(registry);
    }

    /** The counter for one reason, created once; stages keep it so counting costs no lookup. */
    Counter dropCounter(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder(DROPPED)
                .description("Log entries dropped by a loki-process stage, by reason")
                .tag("reason", r).register(registry));
    }

    Counter malformedJson() {
        return malformedJson;
    }

    /**
     * The metrics stage's collector in the Prometheus registry behind the meter registry (the one /actuator/prometheus
     * writes); for a registry without one (the process command's), a collector nothing exports.
     */
    CustomMetrics custom() {
        PrometheusRegistry prometheus = prometheusRegistry(registry);
        return prometheus != null ? CustomMetrics.in(prometheus) : new CustomMetrics(System::nanoTime);
    }

    private static PrometheusRegistry prometheusRegistry(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return p.getPrometheusRegistry();
        }
        if (registry instanceof CompositeMeterRegistry c) {
            for (MeterRegistry r : c.getRegistries()) {
                PrometheusRegistry found = prometheusRegistry(r);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    String pipeline() {
        return pipeline;
    }
}
