package io.caravan.e2e;

import com.sun.net.httpserver.HttpServer;
import io.caravan.CaravanApplication;
import io.caravan.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blackbox pipeline end to end with the real blackbox_exporter and the real Prometheus: the agent (its
 * embedded default, so leader election is the local file lock) reads the operator's target file, sends each
 * probe through the exporter's /probe?target=&module=, and remote-writes probe_success with the seed's labels.
 * A recording proxy in front of the exporter shows the URLs the agent asked for.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class BlackboxEndToEndTest {

    static PrometheusServer prometheus;
    static BlackboxExporter exporter;
    static HttpServer app;
    static HttpServer proxy;
    static final AtomicInteger appRequests = new AtomicInteger();
    static final List<String> probeUrls = new CopyOnWriteArrayList<>();
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prometheus = PrometheusServer.start();
        exporter = BlackboxExporter.start();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/healthz", ex -> {
            appRequests.incrementAndGet();
            byte[] ok = "ok".getBytes();
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ok);
            }
        });
        app.start();
        proxy = recordingProxy(exporter.address());
        int closedPort = PrometheusServer.freePort();
        dataDir = Files.createTempDirectory("caravan-blackbox-e2e");
        Path targets = dataDir.resolve("blackbox-targets.yaml");
        Files.writeString(targets, ""
                + "- { __address__: \"http://127.0.0.1:" + app.getAddress().getPort() + "/healthz\", module: http_2xx, instance: shop-health }\n"
                + "- { __address__: \"http://127.0.0.1:" + closedPort + "/\", module: http_2xx_skip_verify, instance: nothing-listens }\n");
        int agentPort = PrometheusServer.freePort();
        registry.add("CARAVAN_HTTP_PORT", () -> agentPort);
        registry.add("CARAVAN_DATA_DIR", dataDir::toString);
        registry.add("MIMIR_WRITE_URL", prometheus::remoteWriteUrl);
        registry.add("DC_LABEL", () -> "e2e-dc");
        registry.add("NODE_NAME", () -> "e2e-node");
        registry.add("BLACKBOX_TARGETS_FILE", targets::toString);
        registry.add("BLACKBOX_EXPORTER_ADDRESS", () -> "127.0.0.1:" + proxy.getAddress().getPort());
        registry.add("BLACKBOX_INTERVAL", () -> "2s");
        registry.add("BLACKBOX_TIMEOUT", () -> "1500ms");
    }

    /** Forwards every request to the exporter, keeping its path and query for the assertions. */
    static HttpServer recordingProxy(String upstream) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (InputStream ignored = ex.getRequestBody()) {
                URI uri = ex.getRequestURI();
                probeUrls.add(uri.toString());
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + upstream + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
                String timeout = ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds");
                if (timeout != null) {
                    req.header("X-Prometheus-Scrape-Timeout-Seconds", timeout);
                }
                HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("Content-Type").ifPresent(ct -> ex.getResponseHeaders().set("Content-Type", ct));
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.start();
        return server;
    }

    @AfterAll
    static void stopPeers() throws Exception {
        if (proxy != null) {
            proxy.stop(0);
        }
        if (app != null) {
            app.stop(0);
        }
        for (AutoCloseable c : new AutoCloseable[]{exporter, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aReachableTargetProbesSuccessfullyWithTheSeedsLabels() throws Exception {
        String sel = "{job=\"blackbox\",instance=\"shop-health\",module=\"http_2xx\",cluster=\"conveyor-platform\",dc=\"e2e-dc\"}";
        eventually(() -> prometheus.scalar("probe_success" + sel), v -> v == 1);
        // a scrape's samples travel in several shards' requests: each series is waited for, not read at once
        eventually(() -> prometheus.scalar("probe_http_status_code" + sel), v -> v == 200);
        eventually(() -> prometheus.scalar("up" + sel), v -> v == 1); // the exporter itself answered
        assertThat(appRequests.get()).as("the exporter, not the agent, called the app").isGreaterThan(0);
        String target = "http%3A%2F%2F127.0.0.1%3A" + app.getAddress().getPort() + "%2Fhealthz";
        assertThat(probeUrls).as("URLs the agent asked the exporter for")
                .anySatisfy(u -> assertThat(u).startsWith("/probe?").contains("target=" + target).contains("module=http_2xx"))
                .allSatisfy(u -> assertThat(u).startsWith("/probe?"));
    }

    @Test
    void anUnreachableTargetIsAFailedProbeNotADownExporter() throws Exception {
        String sel = "{job=\"blackbox\",instance=\"nothing-listens\",module=\"http_2xx_skip_verify\"}";
        eventually(() -> prometheus.scalar("probe_success" + sel), v -> v == 0);
        eventually(() -> prometheus.scalar("up" + sel), v -> v == 1);
    }

    @Test
    void theAgentIsTheLeaderOfItsOwnFileLockAndProbesOnce() throws Exception {
        eventually(() -> prometheus.scalar("count_over_time(probe_success{instance=\"shop-health\"}[1m])"), v -> v >= 3);
        assertThat(Files.isDirectory(dataDir.resolve("cluster"))).as("file cluster root under CARAVAN_DATA_DIR").isTrue();
        // one probe per 2s interval: about span/2 + 1 samples, not twice as many (no second prober)
        double count = prometheus.scalar("count_over_time(probe_success{instance=\"shop-health\"}[1m])");
        double span = prometheus.scalar("max_over_time(timestamp(probe_success{instance=\"shop-health\"})[1m:100ms])"
                + " - min_over_time(timestamp(probe_success{instance=\"shop-health\"})[1m:100ms])");
        assertThat(count).isLessThanOrEqualTo(span / 2 + 2);
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
        throw new AssertionError("condition not met within 40s; last value " + last + "\nprometheus log:\n" + prometheus.log()
                + "\nblackbox log:\n" + exporter.log() + "\nprobe URLs: " + probeUrls);
    }
}
