package io.caravan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
    static FakeTarget cadvisorLike;
    static FakeTarget beside;
    static FakeTarget conflicting;
    /** The conflicting target's own timestamp: within bounds, so only the receiver can refuse what carries it. */
    static final long CONFLICT_AT = System.currentTimeMillis();

    /** A body whose gauge carries the scrape number, so gaps (lost scrapes) are visible in Prometheus. */
    static String body(int n) {
        return "# HELP test_scrape_number Which scrape this is.\n# TYPE test_scrape_number gauge\n"
                + "test_scrape_number " + n + "\n"
                + "# TYPE test_requests_total counter\n"
                + "test_requests_total{code=\"200\",path=\"/a \\\"quoted\\\"\"} " + (n * 10) + "\n";
    }

    /** A cAdvisor-like page: the root cgroup's series carry a 2014 timestamp (a host clock once wrong), the rest is current. */
    static String cadvisorLike(int n) {
        String root = "{container=\"\",id=\"/\",image=\"\",name=\"\",namespace=\"\",pod=\"\"}";
        String app = "{container=\"app\",id=\"/kubepods/pod1/c1\",image=\"shop:1\",name=\"c1\",namespace=\"shop\",pod=\"checkout-1\"}";
        return body(n)
                + "# TYPE container_cpu_usage_seconds_total counter\n"
                + "container_cpu_usage_seconds_total" + root + " " + (1000 + n) + " 1400000000000\n"
                + "container_cpu_usage_seconds_total" + app + " " + n + "\n"
                + "# TYPE container_last_seen gauge\n"
                + "container_last_seen" + root + " 1.4e+09 1400000000000\n";
    }

    /**
     * 200 ordinary series beside two that Prometheus refuses from the second scrape on: one at the same timestamp
     * with another value ("duplicate sample for timestamp"), one a second earlier each time ("out of order sample").
     * Each scrape's refused samples travel with a share of the ordinary ones (and of other jobs') in one request.
     */
    static String conflicting(int n) {
        StringBuilder b = new StringBuilder(body(n));
        for (int k = 0; k < 200; k++) {
            b.append("test_batchmate{k=\"").append(k).append("\"} ").append(n).append('\n');
        }
        b.append("test_conflict_duplicate ").append(n).append(' ').append(CONFLICT_AT).append('\n');
        b.append("test_conflict_backwards ").append(n).append(' ').append(CONFLICT_AT - n * 1000L).append('\n');
        return b.toString();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prometheus = PrometheusServer.start();
        flakyReceiver = new FailingProxy(prometheus.remoteWriteUrl(), 5);
        good1 = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        good2 = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        hung = new FakeTarget("/metrics", MetricsPathEndToEndTest::body).delay(5_000);
        flakyTarget = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        cadvisorLike = new FakeTarget("/metrics", MetricsPathEndToEndTest::cadvisorLike);
        beside = new FakeTarget("/metrics", MetricsPathEndToEndTest::body);
        conflicting = new FakeTarget("/metrics", MetricsPathEndToEndTest::conflicting);
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
        registry.add("test.stamped.targets", () -> cadvisorLike.address() + "," + beside.address());
        registry.add("test.conflicting.targets", conflicting::address);
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{good1, good2, hung, flakyTarget, cadvisorLike, beside, conflicting, flakyReceiver, prometheus}) {
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

    @Test
    void samplesWith2014TimestampsAreDroppedAtScrapeTimeAndEveryOtherSampleArrives() throws Exception {
        for (FakeTarget t : new FakeTarget[]{cadvisorLike, beside}) {
            String s = "test_scrape_number{job=\"stamped\",instance=\"" + t.address() + "\"}";
            eventually(() -> prometheus.scalar("count_over_time(" + s + "[5m])"), v -> v >= 5);
            assertEveryScrapeArrived(s);
        }
        eventually(() -> prometheus.query("container_cpu_usage_seconds_total{job=\"stamped\",pod=\"checkout-1\"}").size(), n -> n == 1);
        double scrapes = prometheus.scalar("count_over_time(up{job=\"stamped\",instance=\"" + cadvisorLike.address() + "\"}[5m])");
        assertThat(agentCounter("caravan_scrape_samples_dropped_total", "job=\"stamped\"", "reason=\"too_old\""))
                .as("two a scrape, counted before the scrape's samples go on").isGreaterThanOrEqualTo(2 * scrapes);
        // never sent: Prometheus neither stored them in 2014 nor refused them as out of bounds
        assertThat(prometheus.query("count_over_time({job=\"stamped\",id=\"/\"}[1d] @ 1400000000)")).isEmpty();
        assertThat(prometheusCounter("prometheus_tsdb_out_of_bound_samples_total{type=\"float\"}")).isZero();
    }

    @Test
    void aSampleThePrometheusRefusesIsDroppedAloneAndEverySampleSentWithItArrives() throws Exception {
        String sel = "{job=\"conflicting\",instance=\"" + conflicting.address() + "\"}";
        eventually(() -> agentCounter("caravan_remote_write_samples_dropped_total", "sink=\"mimir\"", "reason=\"rejected\""), v -> v >= 4);
        eventually(() -> prometheus.scalar("count_over_time(test_scrape_number" + sel + "[5m])"), v -> v >= 5);
        assertEveryScrapeArrived("test_scrape_number" + sel);
        String batchmates = "test_batchmate" + sel + "[5m]";
        // every batchmate reaches the scrape the target had answered: were the requests with refused samples dropped whole,
        // the batchmates that share a shard with those would stay behind
        int answered = conflicting.scrapes();
        eventually(() -> prometheus.scalar("count(max_over_time(" + batchmates + ") >= " + answered + ")"), n -> n == 200);
        // one query, so the counts and the latest scrape numbers are read from one snapshot
        JsonNode missing = prometheus.query("max_over_time(" + batchmates + ") - count_over_time(" + batchmates + ")");
        assertThat(byLabel(missing, "k")).as("every batchmate, every scrape from its first to its latest, none lost").hasSize(200)
                .allSatisfy((k, n) -> assertThat(n).as("scrapes of batchmate %s missing", k).isZero());
        assertThat(byLabel(prometheus.query("min_over_time(" + batchmates + ")"), "k").values()).as("from the first scrape on")
                .containsOnly(1.0);
        assertThat(prometheus.scalar("last_over_time(test_conflict_duplicate" + sel + "[1h])")).as("only the first was taken").isEqualTo(1);
        assertThat(prometheus.scalar("count_over_time(test_conflict_backwards" + sel + "[1h])")).isEqualTo(1);
        assertThat(prometheusCounter("prometheus_tsdb_out_of_order_samples_total{type=\"float\"}")).as("Prometheus met them out of order").isPositive();
        double rejected = agentCounter("caravan_remote_write_samples_dropped_total", "sink=\"mimir\"", "reason=\"rejected\"");
        assertThat(rejected).as("the refused samples alone: two a scrape from the second on").isLessThanOrEqualTo(2 * (conflicting.scrapes() - 1));
    }

    /** The series has a sample for every scrape number from the first to its latest: none lost, none twice. */
    private static void assertEveryScrapeArrived(String series) throws Exception {
        assertThat(prometheus.scalar("min_over_time(" + series + "[5m])")).as("%s from the first scrape", series).isEqualTo(1);
        // one query, so the count and the latest scrape number are read from one snapshot
        assertThat(prometheus.scalar("max_over_time(" + series + "[5m]) - count_over_time(" + series + "[5m])"))
                .as("scrapes of %s missing", series).isZero();
    }

    private static java.util.Map<String, Double> byLabel(JsonNode vector, String label) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (JsonNode r : vector) {
            out.put(r.path("metric").path(label).asText(), Double.parseDouble(r.path("value").get(1).asText()));
        }
        return out;
    }

    /** The sum of the agent's own series of that name holding all those label pairs (0 when none). */
    private static double agentCounter(String name, String... labels) throws Exception {
        return sumOf(get("http://127.0.0.1:" + System.getProperty("caravan.e2e.port") + "/actuator/prometheus"), name, labels);
    }

    /** A series of the receiving Prometheus' own metrics, e.g. {@code prometheus_tsdb_out_of_order_samples_total{type="float"}}. */
    private static double prometheusCounter(String series) throws Exception {
        int brace = series.indexOf('{');
        return sumOf(get(prometheus.baseUrl() + "/metrics"), series.substring(0, brace), series.substring(brace + 1, series.length() - 1));
    }

    private static double sumOf(String exposition, String name, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String get(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
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
