package io.caravan.canary;

import io.caravan.CaravanApplication;
import io.caravan.loki.testing.LokiReceiver;
import io.caravan.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped read-back canaries on a running agent: the metrics canary through the remote-write sink into the real
 * Prometheus from Debian, found again through its query API; the log canaries through each DC's Loki sink, found
 * through a Loki-protocol receiver's query_range. And the two ways a canary says something is wrong: markers that
 * never arrive where they are read (not_found) and a query API that does not answer (unchecked).
 */
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class CanaryTest {

    static PrometheusServer prometheus;
    static LokiReceiver local;
    static LokiReceiver remote;
    static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prometheus = PrometheusServer.start();
        local = new LokiReceiver();
        remote = new LokiReceiver();
        port = PrometheusServer.freePort();
        int closed = PrometheusServer.freePort();
        String data = Files.createTempDirectory("caravan-canary").toString();
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        registry.add("CARAVAN_DATA_DIR", () -> data);
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/sinks.yaml,classpath:routes/canary.yaml,classpath:canary/routes.yaml");
        registry.add("MIMIR_WRITE_URL", prometheus::remoteWriteUrl);
        registry.add("MIMIR_QUERY_URL", prometheus::baseUrl);
        registry.add("LOKI_WRITE_URL_LOCAL", local::url);
        registry.add("LOKI_QUERY_URL_LOCAL", local::baseUrl);
        registry.add("LOKI_WRITE_URL_REMOTE", remote::url);
        registry.add("LOKI_QUERY_URL_REMOTE", remote::baseUrl);
        registry.add("CARAVAN_CANARY_INTERVAL", () -> "1s");
        registry.add("NODE_NAME", () -> "node-7");
        registry.add("test.canary.loki-local", local::baseUrl);
        registry.add("test.canary.closed-port", () -> closed);
    }

    @AfterAll
    static void stop() throws Exception {
        prometheus.close();
        local.close();
        remote.close();
    }

    /** The agent's metrics page, without the application tag every meter has. */
    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body().replace("application=\"caravan\",", "");
    }

    /** The value of the first line of the agent's metrics that starts with this series, or -1. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 45_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                String canaryLines;
                try {
                    canaryLines = metrics().lines().filter(l -> l.startsWith("caravan_canary")).reduce("", (a, b) -> a + "\n" + b);
                } catch (Exception e) {
                    canaryLines = e.toString();
                }
                throw new AssertionError("timed out waiting for " + what + "; the agent's canary metrics:" + canaryLines);
            }
            Thread.sleep(200);
        }
    }

    private static double metric(String series) {
        try {
            return value(metrics(), series);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void markersArriveAndAreFoundThroughEachStoresQueryApi() throws Exception {
        await("three metric markers found in Prometheus", () -> metric("caravan_canary_markers_found_total{canary=\"mimir\"}") >= 3);
        await("three log markers found in each DC's Loki", () -> metric("caravan_canary_markers_found_total{canary=\"loki-local\"}") >= 3
                && metric("caravan_canary_markers_found_total{canary=\"loki-remote\"}") >= 3);
        String text = metrics();
        for (String canary : new String[] {"mimir", "loki-local", "loki-remote"}) {
            assertThat(value(text, "caravan_canary_markers_missing_total{canary=\"" + canary + "\",reason=\"not_found\"}")).as(canary).isZero();
            double latency = value(text, "caravan_canary_latency_seconds{canary=\"" + canary + "\"}");
            assertThat(latency).as(canary + " latency").isBetween(0.0, 30.0);
            assertThat(value(text, "caravan_canary_last_found_timestamp_seconds{canary=\"" + canary + "\"}") * 1000)
                    .isGreaterThan(System.currentTimeMillis() - 60_000);
        }
        // what Prometheus holds: the marker series with the sink's external labels, its value the marker's id (its send time)
        var series = prometheus.query("caravan_canary{canary=\"mimir\",instance=\"node-7\"}").get(0);
        assertThat(series.path("metric").path("cluster").asText()).isEqualTo("conveyor-platform");
        double id = series.path("value").path(1).asDouble();
        assertThat(id).isBetween(System.currentTimeMillis() - 120_000.0, (double) System.currentTimeMillis());
        // the Health page's canary panel, in Chromium
        String page = io.caravan.testing.Chromium.render("http://127.0.0.1:" + port + "/#health",
                "document.querySelectorAll('tr.canary').length >= 3 && document.querySelector('tr[data-canary=\"mimir\"] td.UP') != null",
                "ui-canaries.png");
        assertThat(page).contains("Read-back canaries").contains(prometheus.baseUrl());
        // each DC's Loki got its own canary's lines, and only those
        assertThat(local.accepted()).anyMatch(r -> r.stream().contains("canary=\"loki-local\"") && r.line().startsWith("caravan canary marker="));
        assertThat(remote.accepted()).noneMatch(r -> r.stream().contains("canary=\"loki-local\""));
    }

    @Test
    void markersThatNeverArriveAndAQueryApiThatDoesNotAnswerAreCountedMissing() throws Exception {
        await("the lost canary's markers counted not_found",
                () -> metric("caravan_canary_markers_missing_total{canary=\"lost\",reason=\"not_found\"}") >= 2);
        await("the unanswered canary's markers counted unchecked",
                () -> metric("caravan_canary_markers_missing_total{canary=\"unanswered\",reason=\"unchecked\"}") >= 2);
        String text = metrics();
        assertThat(value(text, "caravan_canary_markers_found_total{canary=\"lost\"}")).isZero();
        assertThat(value(text, "caravan_canary_query_failures_total{canary=\"unanswered\"}")).isGreaterThan(0);
        assertThat(value(text, "caravan_canary_markers_missing_total{canary=\"unanswered\",reason=\"not_found\"}")).isZero();
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/canaries")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(health).contains("\"status\":\"UNKNOWN\"").contains("\"lost\"").contains("not found within 1500ms")
                .contains("\"unanswered\"").contains("lastQueryError").contains("unreachable");
    }
}
