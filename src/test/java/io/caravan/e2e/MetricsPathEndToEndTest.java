package io.caravan.e2e;

import io.caravan.CaravanApplication;
import io.caravan.testing.FailingProxy;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics path end to end, into the real Prometheus from Debian's package: scrape local targets,
 * remote-write them, and read them back through Prometheus' query API.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class MetricsPathEndToEndTest {

    static PrometheusServer prometheus;
    static FailingProxy flakyReceiver;
    static FakeTarget good1;
    static FakeTarget good2;
    static FakeTarget hung;
    static FakeTarget flakyTarget;

    /** A body whose gauge carries the scrape number, so gaps (lost scrapes) are visible in Prometheus. */
    static String body(int n) {
        return "# HELP test_scrape_number Which scrape this is.\n# TYPE test_scrape_number gauge\n"
                + "test_scrape_number " + n + "\n"
                + "# TYPE test_requests_total counter\n"
                + "test_requests_total{code=\"200\",path=\"/a \\\"quoted\\\"\"} " + (n * 10) + "\n";
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prometheus = PrometheusServer.start();
        flakyReceiver = new FailingProxy(prometheus.remoteWriteUrl(), 5);
        good1 = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        good2 = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        hung = new FakeTarget("/metrics", MetricsPathEndToEndTest::body).delay(5_000);
        flakyTarget = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        int agentPort = PrometheusServer.freePort();
        System.setProperty("caravan.e2e.port", Integer.toString(agentPort));
        registry.add("CARAVAN_HTTP_PORT", () -> agentPort);
        // state (the remote-write WAL, the Loki spill, positions) of this context only: a shared ./data would
        // replay an earlier run's samples here
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("caravan-e2e-data");
        registry.add("CARAVAN_DATA_DIR", data::toString);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/*.yaml,classpath:e2e/metrics-path.yaml");
        registry.add("MIMIR_WRITE_URL", prometheus::remoteWriteUrl);
        registry.add("DC_LABEL", () -> "e2e-dc");
        registry.add("CARAVAN_SELF_SCRAPE_INTERVAL", () -> "1s");
        registry.add("CARAVAN_SELF_SCRAPE_TIMEOUT", () -> "1s");
        registry.add("NODE_METRICS_INTERVAL", () -> "2s");
        registry.add("NODE_METRICS_TIMEOUT", () -> "2s");
        registry.add("NODE_NAME", () -> "e2e-node");
        registry.add("test.steady.targets", () -> good1.address() + "," + good2.address() + "," + hung.address());
        registry.add("test.flaky.targets", flakyTarget::address);
        registry.add("test.flaky.url", flakyReceiver::url);
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{good1, good2, hung, flakyTarget, flakyReceiver, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void scrapedSeriesArriveWithJobInstanceAndExternalLabels() throws Exception {
        String sel = "{job=\"steady\",instance=\"" + good1.address() + "\",cluster=\"conveyor-platform\",dc=\"e2e-dc\",env=\"e2e\"}";
        eventually(() -> value("test_scrape_number" + sel), v -> v >= 3);
        // The counter keeps its label value with escapes intact, and its value is what the target served.
        // (A scrape's samples travel in several shards' requests, which may keep one series a scrape behind the
        // other for as long as the shards' send times keep their phase: the two are compared at the older of
        // their latest timestamps, where both hold the same scrape.)
        String requests = "test_requests_total{job=\"steady\",instance=\"" + good1.address() + "\",code=\"200\",path=\"/a \\\"quoted\\\"\"}";
        String number = "test_scrape_number" + sel;
        eventually(() -> {
            String at = String.format(java.util.Locale.ROOT, " @ %.3f",
                    Math.min(value("timestamp(" + requests + ")"), value("timestamp(" + number + ")")));
            return value(requests + at) - value(number + at) * 10;
        }, d -> d == 0);
        eventually(() -> value("up" + sel), v -> v == 1);
        eventually(() -> value("scrape_samples_scraped" + sel), v -> v == 2);
        eventually(() -> value("scrape_samples_post_metric_relabeling" + sel), v -> v == 2);
        eventually(() -> value("scrape_duration_seconds" + sel), v -> v >= 0 && v <= 0.5);
    }

    @Test
    void aHungTargetIsDownAndItsNeighboursScrapeOnSchedule() throws Exception {
        String hungSel = "{job=\"steady\",instance=\"" + hung.address() + "\"}";
        eventually(() -> prometheus.scalar("count_over_time(up" + hungSel + "[5m])"), v -> v >= 4);
        assertThat(value("up" + hungSel)).isEqualTo(0);
        assertThat(value("up{job=\"steady\",instance=\"" + good1.address() + "\"}")).isEqualTo(1);
        assertThat(value("up{job=\"steady\",instance=\"" + good2.address() + "\"}")).isEqualTo(1);
        // The neighbours lost no scrape while the hung one timed out every second: no gap in the numbers.
        for (FakeTarget t : new FakeTarget[]{good1, good2}) {
            String s = "test_scrape_number{job=\"steady\",instance=\"" + t.address() + "\"}";
            double count = prometheus.scalar("count_over_time(" + s + "[5m])");
            double max = prometheus.scalar("max_over_time(" + s + "[5m])");
            double min = prometheus.scalar("min_over_time(" + s + "[5m])");
            assertThat(count).as("scrapes of %s in Prometheus", t.address()).isEqualTo(max - min + 1);
            assertThat(count).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aReceiverThatFailsThenRecoversLosesNothing() throws Exception {
        String s = "test_scrape_number{job=\"flaky\",cluster=\"flaky-cluster\"}";
        eventually(() -> prometheus.scalar("count_over_time(" + s + "[5m])"), v -> v >= 5);
        assertThat(flakyReceiver.failed()).isEqualTo(5);
        assertThat(prometheus.scalar("min_over_time(" + s + "[5m])")).as("the first scrape arrived").isEqualTo(1);
        double count = prometheus.scalar("count_over_time(" + s + "[5m])");
        double max = prometheus.scalar("max_over_time(" + s + "[5m])");
        assertThat(count).as("every scrape from 1 to the latest arrived, none twice").isEqualTo(max);
    }

    @Test
    void theAgentsOwnSeriesReachTheReceiver() throws Exception {
        eventually(() -> value("up{job=\"caravan\",cluster=\"conveyor-platform\",dc=\"e2e-dc\"}"), v -> v == 1);
        // a scrape's samples travel in several shards' requests: wait for each series, not only for up
        eventually(() -> prometheus.query("jvm_memory_used_bytes{job=\"caravan\",area=\"heap\"}").size(), n -> n > 0);
        eventually(() -> prometheus.query("caravan_remote_write_samples_sent_total{sink=\"mimir\"}").size(), n -> n == 1);
    }

    @Test
    void theBuiltInNodeExportersSeriesReachTheReceiver() throws Exception {
        String sel = "{job=\"integrations/unix\",instance=\"e2e-node\",cluster=\"conveyor-platform\"}";
        eventually(() -> value("up" + sel), v -> v == 1);
        // one scrape's samples travel in several shards' requests: up may land before the rest of its scrape
        eventually(() -> prometheus.query("node_scrape_collector_success" + sel).size(), n -> n == 11);
        assertThat(prometheus.query("node_cpu_seconds_total" + sel).size()).isGreaterThan(0);
        assertThat(prometheus.query("node_load1" + sel).size()).isEqualTo(1);
    }

    @Test
    void routesAreVisibleThroughJmxAndTheActuator() throws Exception {
        var mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .queryNames(new javax.management.ObjectName("org.apache.camel:type=routes,*"), null);
        assertThat(mbeans).extracting(n -> n.getKeyProperty("name")).contains("\"sink-mimir\"", "\"self-metrics\"", "\"e2e-steady\"");
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + System.getProperty("caravan.e2e.port");
        String routes = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/actuator/camelroutes")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(routes).contains("\"id\":\"sink-mimir\"").contains("\"status\":\"Started\"");
        var liveness = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/actuator/health/liveness")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(liveness.statusCode()).isEqualTo(200);
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("caravan_remote_write_samples_sent_total{").contains("caravan_remote_write_queue_samples{")
                .contains("camel_exchanges_total{");
    }

    private static double value(String promql) throws Exception {
        return prometheus.scalar(promql);
    }

    interface Query {
        double run() throws Exception;
    }

    private static void eventually(Query q, java.util.function.DoublePredicate ok) throws Exception {
        long deadline = System.currentTimeMillis() + 40_000;
        double last = Double.NaN;
        while (System.currentTimeMillis() < deadline) {
            last = q.run();
            if (!Double.isNaN(last) && ok.test(last)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("condition not met within 40s; last value " + last + "\nprometheus log:\n" + prometheus.log());
    }
}
