package io.caravan.tracing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Route spans reach an OTLP/HTTP receiver with the configured service.name; without an endpoint tracing is off. */
class SelfTracingTest {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer otlp;

    @AfterEach
    void reset() {
        GlobalOpenTelemetry.resetForTest();
        if (otlp != null) {
            otlp.stop(0);
        }
    }

    @Test
    void routeSpansCarryTheConfiguredServiceName() throws Exception {
        otlp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        otlp.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                // OTLP protobuf carries attribute strings as UTF-8: enough to find the service name and the route
                received.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        otlp.start();
        String endpoint = "http://127.0.0.1:" + otlp.getAddress().getPort();
        OpenTelemetrySdk sdk = SelfTracing.install(Map.of(), Map.of(
                "otel.exporter.otlp.endpoint", endpoint,
                "otel.service.name", "caravan-daemonset-test",
                "otel.traces.sampler", "always_on",
                "otel.bsp.schedule.delay", "100"));
        assertThat(sdk).isNotNull();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            new OpenTelemetryTracer().init(camel);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:tick?period=50&repeatCount=3").routeId("traced-route").to("log:traced?level=DEBUG");
                }
            });
            camel.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(b -> b.contains("timer://tick")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
        }
        sdk.close();
        assertThat(received).anySatisfy(body -> assertThat(body).contains("caravan-daemonset-test").contains("timer://tick"));
    }

    @Test
    void withoutAnEndpointNothingIsInstalled() {
        assertThat(SelfTracing.install(Map.of("OTEL_SERVICE_NAME", "x"), Map.of())).isNull();
    }
}
