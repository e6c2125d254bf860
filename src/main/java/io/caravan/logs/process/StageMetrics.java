package io.caravan.logs.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters the stages share: entries dropped by reason (Alloy's loki_process_dropped_lines_total under
 * Caravan's name) and lines the json stage could not parse.
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

    String pipeline() {
        return pipeline;
    }
}
