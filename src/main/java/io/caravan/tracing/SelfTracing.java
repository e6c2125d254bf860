package io.caravan.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The agent's own traces (lesson 3 of the seed): Camel's OpenTelemetry tracer takes its tracer from
 * GlobalOpenTelemetry, so the SDK is installed there before Camel starts. Everything is configured the
 * standard OpenTelemetry way — OTEL_SERVICE_NAME (never hard-coded: the chart sets caravan-daemonset),
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER(_ARG) — with Caravan's
 * defaults underneath: 10% of root traces, OTLP over HTTP/protobuf, no OTel metrics or logs (the agent's
 * metrics are on /actuator/prometheus). Without an endpoint nothing is installed and tracing is off.
 */
public final class SelfTracing {

    private static final Logger LOG = LoggerFactory.getLogger(SelfTracing.class);

    private SelfTracing() {
    }

    /** Installs the SDK as the global one when an OTLP endpoint is configured; returns it, or null when off. */
    public static OpenTelemetrySdk install(Map<String, String> env, Map<String, String> overrides) {
        String endpoint = firstNonBlank(overrides.get("otel.exporter.otlp.endpoint"), env.get("OTEL_EXPORTER_OTLP_ENDPOINT"),
                env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        if (endpoint == null) {
            LOG.info("self-tracing off: set OTEL_EXPORTER_OTLP_ENDPOINT to send the agent's route traces");
            return null;
        }
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "caravan");
        defaults.put("otel.traces.sampler", "parentbased_traceidratio");
        defaults.put("otel.traces.sampler.arg", "0.1");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)     // lowest priority: the environment wins
                .addPropertiesCustomizer(config -> overrides)
                .setResultAsGlobal()
                .build()
                .getOpenTelemetrySdk();
        Runtime.getRuntime().addShutdownHook(new Thread(sdk::close, "self-tracing-flush"));
        LOG.info("self-tracing on: service.name={}, exporting to {}",
                firstNonBlank(overrides.get("otel.service.name"), env.get("OTEL_SERVICE_NAME"), "caravan"), endpoint);
        return sdk;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
