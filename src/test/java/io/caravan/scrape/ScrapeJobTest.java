package io.caravan.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.caravan.http.BearerTokenFile;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrape loop behaviour against local HTTP targets, without Camel: one job, its loops, what they emit. */
class ScrapeJobTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final BlockingQueue<List<Sample>> emitted = new LinkedBlockingQueue<>();
    private final Map<String, String> lastRequest = new ConcurrentHashMap<>();
    private HttpServer server;

    /** Serves bodies[n-1] on the n-th scrape (the last one from then on), optionally gzip'd or delayed. */
    private String serve(String contentType, boolean gzip, long delayMs, String... bodies) throws IOException {
        AtomicInteger n = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", (HttpExchange ex) -> {
            try {
                lastRequest.put("uri", ex.getRequestURI().toString());
                ex.getRequestHeaders().forEach((k, v) -> lastRequest.put(k.toLowerCase(), v.get(0)));
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                byte[] body = bodies[Math.min(n.getAndIncrement(), bodies.length - 1)].getBytes(StandardCharsets.UTF_8);
                if (gzip) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    try (GZIPOutputStream z = new GZIPOutputStream(buf)) {
                        z.write(body);
                    }
                    body = buf.toByteArray();
                    ex.getResponseHeaders().set("Content-Encoding", "gzip");
                }
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } catch (InterruptedException | IOException e) {
                // scraper went away
            } finally {
                ex.close();
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String serve(String... bodies) throws IOException {
        return serve("text/plain; version=0.0.4", false, 0, bodies);
    }

    private ScrapeJob job(boolean honorLabels, int sampleLimit, long timeoutMs, UnaryOperator<Labels> metricRelabel, BearerTokenFile token) {
        ScrapeSettings s = new ScrapeSettings("test", 1000, timeoutMs, "http", "/metrics", honorLabels, true, sampleLimit,
                1 << 20, 7_200_000, true, Labels.EMPTY, metricRelabel);
        ScrapeJob job = new ScrapeJob("test", scheduler, workers, 0, "Caravan/test");
        job.configure(s, HttpClient::newHttpClient, token, "scrape:test");
        job.attach((t, samples, metadata) -> emitted.add(samples));
        return job;
    }

    private ScrapeJob job() {
        return job(false, 0, 800, null, null);
    }

    /** A job reading its own timestamps (or not), with a sample age limit, counting into meters. */
    private ScrapeJob job(boolean honorTimestamps, long maxSampleAgeMs, SimpleMeterRegistry meters) {
        ScrapeSettings s = new ScrapeSettings("test", 1000, 800, "http", "/metrics", false, honorTimestamps, 0,
                1 << 20, maxSampleAgeMs, true, Labels.EMPTY, null);
        ScrapeJob job = new ScrapeJob("test", scheduler, workers, 0, "Caravan/test", new ScrapeMetrics(meters));
        job.configure(s, HttpClient::newHttpClient, null, "scrape:test");
        job.attach((t, samples, metadata) -> emitted.add(samples));
        return job;
    }

    private static double dropped(SimpleMeterRegistry meters, String reason) {
        var c = meters.find("caravan_scrape_samples_dropped").tags("job", "test", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private List<Sample> next() throws InterruptedException {
        List<Sample> s = emitted.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a scrape was emitted within 5s").isNotNull();
        return s;
    }

    private static Optional<Sample> find(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.metricName().equals(name)).findFirst();
    }

    private static double value(List<Sample> samples, String name) {
        return find(samples, name).orElseThrow(() -> new AssertionError(name + " not in " + samples)).value();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void emitsSamplesWithTargetLabelsAndTheReportSeries() throws Exception {
        String addr = serve("# TYPE a counter\na_total 1\nb{job=\"exposed\",x=\"1\"} 2\n");
        ScrapeJob job = job();
        job.sync(List.of(Target.of("__address__", addr, "team", "core")));
        List<Sample> s = next();
        Sample b = find(s, "b").orElseThrow();
        assertThat(b.labels()).isEqualTo(Labels.of("__name__", "b", "job", "test", "exported_job", "exposed", "x", "1",
                "instance", addr, "team", "core"));
        assertThat(value(s, "a_total")).isEqualTo(1);
        assertThat(value(s, "up")).isEqualTo(1);
        assertThat(value(s, "scrape_samples_scraped")).isEqualTo(2);
        assertThat(value(s, "scrape_samples_post_metric_relabeling")).isEqualTo(2);
        assertThat(value(s, "scrape_series_added")).isEqualTo(2);
        assertThat(value(s, "scrape_duration_seconds")).isBetween(0.0, 0.8);
        assertThat(find(s, "up").orElseThrow().labels()).isEqualTo(Labels.of("__name__", "up", "job", "test", "instance", addr, "team", "core"));
        assertThat(lastRequest.get("uri")).isEqualTo("/metrics");
        assertThat(lastRequest.get("accept")).contains("text/plain;version=0.0.4");
        assertThat(lastRequest.get("x-prometheus-scrape-timeout-seconds")).isEqualTo("0.800");
        assertThat(value(next(), "scrape_series_added")).as("second scrape adds none").isZero();
        job.stopAll();
    }

    @Test
    void honorLabelsKeepsTheExposedValue() throws Exception {
        String addr = serve("b{job=\"exposed\"} 2\n");
        ScrapeJob job = job(true, 0, 800, null, null);
        job.sync(List.of(Target.of("__address__", addr)));
        assertThat(find(next(), "b").orElseThrow().labels().get("job")).isEqualTo("exposed");
        job.stopAll();
    }

    @Test
    void aSeriesThatDisappearsAndATargetThatGoesAwayGetStalenessMarkers() throws Exception {
        long exposedAt = System.currentTimeMillis() - 60_000;
        String addr = serve("a 1\nb 2\nc 3 " + exposedAt + "\n", "a 1\n");
        ScrapeJob job = job();
        job.sync(List.of(Target.of("__address__", addr)));
        List<Sample> first = next();
        assertThat(find(first, "c").orElseThrow().timestampMs()).as("honor_timestamps").isEqualTo(exposedAt);
        List<Sample> second = next();
        assertThat(Sample.isStaleMarker(value(second, "b"))).isTrue();
        assertThat(find(second, "c")).as("series with explicit timestamps are never marked stale").isEmpty();
        assertThat(value(second, "a")).isEqualTo(1);
        job.sync(List.of());
        List<Sample> last;
        do {
            last = next();
        } while (!Sample.isStaleMarker(value(last, "up")));
        assertThat(Sample.isStaleMarker(value(last, "a"))).isTrue();
        assertThat(last).allSatisfy(s -> assertThat(Sample.isStaleMarker(s.value())).isTrue());
    }

    @Test
    void withoutHonorTimestampsASeriesWithATimestampGoesStaleLikeAnyOther() throws Exception {
        long exposedAt = System.currentTimeMillis() - 60_000;
        String addr = serve("a 1\nc 3 " + exposedAt + "\n", "a 1\n");
        ScrapeJob job = job(false, 7_200_000, new SimpleMeterRegistry());
        job.sync(List.of(Target.of("__address__", addr)));
        next();
        List<Sample> second = next();
        assertThat(find(second, "c")).as("its timestamp was ignored, so it was an ordinary series").isPresent();
        assertThat(Sample.isStaleMarker(value(second, "c"))).isTrue();
        job.stopAll();
    }

    @Test
    void samplesWhoseOwnTimestampsAReceiverRefusesAreDroppedAndCountedByReason() throws Exception {
        long now = System.currentTimeMillis();
        String addr = serve("in_bounds 1 " + (now - 60_000) + "\nfrom_2014 2 1400000000000\nan_hour_ahead 3 " + (now + 3_600_000)
                + "\nwithout_timestamp 4\nsoon 5 " + (now + 60_000) + "\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScrapeJob job = job(true, 7_200_000, meters);
        job.sync(List.of(Target.of("__address__", addr)));
        for (int scrape = 1; scrape <= 2; scrape++) {
            List<Sample> s = next();
            assertThat(s).extracting(Sample::metricName).as("scrape %d", scrape)
                    .containsExactly("in_bounds", "without_timestamp", "soon", "up", "scrape_duration_seconds", "scrape_samples_scraped",
                            "scrape_samples_post_metric_relabeling", "scrape_series_added");
            assertThat(value(s, "up")).isEqualTo(1);
            assertThat(value(s, "scrape_samples_scraped")).isEqualTo(5);
            assertThat(value(s, "scrape_samples_post_metric_relabeling")).as("as in Prometheus: dropped by the appender, not by relabeling")
                    .isEqualTo(5);
            assertThat(value(s, "scrape_series_added")).as("a series is added with its first sample passed on")
                    .isEqualTo(scrape == 1 ? 3 : 0);
            assertThat(dropped(meters, "too_old")).isEqualTo(scrape);
            assertThat(dropped(meters, "too_far_in_future")).isEqualTo(scrape);
        }
        job.stopAll();
    }

    @Test
    void withoutHonorTimestampsOrAnAgeLimitThoseSamplesAreKept() throws Exception {
        long now = System.currentTimeMillis();
        String addr = serve("from_2014 2 1400000000000\nan_hour_ahead 3 " + (now + 3_600_000) + "\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScrapeJob ignoring = job(false, 7_200_000, meters);
        ignoring.sync(List.of(Target.of("__address__", addr)));
        List<Sample> s = next();
        assertThat(find(s, "from_2014").orElseThrow().timestampMs()).as("the scrape's time").isBetween(now - 1_000, now + 5_000);
        assertThat(find(s, "an_hour_ahead").orElseThrow().timestampMs()).isBetween(now - 1_000, now + 5_000);
        ignoring.stopAll();
        emitted.clear();

        ScrapeJob noAgeLimit = job(true, 0, meters);
        noAgeLimit.sync(List.of(Target.of("__address__", addr)));
        s = next();
        assertThat(find(s, "from_2014").orElseThrow().timestampMs()).isEqualTo(1_400_000_000_000L);
        assertThat(find(s, "an_hour_ahead")).as("the future bound is Prometheus' and always on").isEmpty();
        assertThat(dropped(meters, "too_old")).isZero();
        assertThat(dropped(meters, "too_far_in_future")).isEqualTo(1);
        noAgeLimit.stopAll();
    }

    @Test
    void metricRelabelingDropsAndRewritesAndIsCountedPostRelabel() throws Exception {
        String addr = serve("keep_me 1\ndrop_me 2\n");
        ScrapeJob job = job(false, 0, 800, l -> l.get("__name__").startsWith("drop") ? null : l.toBuilder().set("r", "yes").build(), null);
        job.sync(List.of(Target.of("__address__", addr)));
        List<Sample> s = next();
        assertThat(find(s, "drop_me")).isEmpty();
        assertThat(find(s, "keep_me").orElseThrow().labels().get("r")).isEqualTo("yes");
        assertThat(value(s, "scrape_samples_scraped")).isEqualTo(2);
        assertThat(value(s, "scrape_samples_post_metric_relabeling")).isEqualTo(1);
        job.stopAll();
    }

    @Test
    void exceedingTheSampleLimitFailsTheScrape() throws Exception {
        String addr = serve("a 1\nb 2\nc 3\n");
        ScrapeJob job = job(false, 2, 800, null, null);
        job.sync(List.of(Target.of("__address__", addr)));
        List<Sample> s = next();
        assertThat(value(s, "up")).isZero();
        assertThat(find(s, "a")).isEmpty();
        assertThat(job.targets().get(0).lastError()).contains("sample_limit");
        job.stopAll();
    }

    @Test
    void aHungTargetTimesOutWithUpZeroAndAClearError() throws Exception {
        String addr = serve("text/plain", false, 3_000, "a 1\n");
        ScrapeJob job = job();
        long start = System.nanoTime();
        job.sync(List.of(Target.of("__address__", addr)));
        List<Sample> s = next();
        assertThat(value(s, "up")).isZero();
        assertThat((System.nanoTime() - start) / 1e9).as("cut at the 800ms timeout (plus up to 1s offset), before the 3s reply").isLessThan(2.9);
        assertThat(job.targets().get(0).lastError()).contains("timed out");
        job.stopAll();
    }

    @Test
    void aMalformedBodyIsDownWithTheParsersReason() throws Exception {
        String addr = serve("ok 1\nbad{le=\"unterminated 2\n");
        ScrapeJob job = job();
        job.sync(List.of(Target.of("__address__", addr)));
        List<Sample> s = next();
        assertThat(value(s, "up")).isZero();
        assertThat(find(s, "ok")).as("a failed scrape keeps nothing of its body").isEmpty();
        assertThat(job.targets().get(0).lastError()).contains("line 2");
        job.stopAll();
    }

    @Test
    void gzipBodiesOpenMetricsParamsAndABearerTokenThatRotates(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "first\n");
        String addr = serve("application/openmetrics-text; version=1.0.0; charset=utf-8", true, 0,
                "# TYPE probe_success gauge\nprobe_success 1\n# EOF\n");
        ScrapeJob job = job(false, 0, 800, null, new BearerTokenFile(token));
        job.sync(List.of(Target.of("__address__", addr, "__param_target", "http://grafana:80/api/health", "__param_module", "http_2xx",
                "__metrics_path__", "/probe")));
        assertThat(value(next(), "probe_success")).isEqualTo(1);
        assertThat(lastRequest.get("uri")).startsWith("/probe?").contains("module=http_2xx").contains("target=http%3A%2F%2Fgrafana%3A80%2Fapi%2Fhealth");
        assertThat(lastRequest.get("authorization")).isEqualTo("Bearer first");
        assertThat(lastRequest.get("accept-encoding")).isEqualTo("gzip");
        Files.writeString(token, "second\n");
        Files.setLastModifiedTime(token, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        next();
        next();
        assertThat(lastRequest.get("authorization")).isEqualTo("Bearer second");
        job.stopAll();
    }

    @Test
    void aMissingCaFileFailsEachScrapeWithItsNameNotTheAgent() throws Exception {
        String addr = serve("a 1\n");
        ScrapeSettings s = new ScrapeSettings("kubelet", 1000, 800, "https", "/metrics", false, true, 0, 1 << 20, 7_200_000, true,
                Labels.EMPTY, null);
        ScrapeJob job = new ScrapeJob("kubelet", scheduler, workers, 0, "Caravan/test");
        job.configure(s, () -> io.caravan.http.HttpClients.create(java.time.Duration.ofSeconds(1),
                "/nonexistent/serviceaccount/ca.crt", false, null), null, "scrape:kubelet");
        job.attach((t, samples, metadata) -> emitted.add(samples));
        job.sync(List.of(Target.of("__address__", addr)));
        assertThat(value(next(), "up")).isZero();
        assertThat(job.targets().get(0).lastError()).contains("/nonexistent/serviceaccount/ca.crt");
        job.stopAll();
    }

    @Test
    void targetsThatCannotBeScrapedAreReportedNotFatal() throws Exception {
        String addr = serve("a 1\n");
        ScrapeJob job = job();
        job.sync(List.of(Target.of("module", "no-address"), Target.of("__address__", addr)));
        assertThat(value(next(), "up")).isEqualTo(1);
        assertThat(job.invalidTargets()).hasSize(1);
        assertThat(job.invalidTargets().values().iterator().next()).contains("__address__");
        job.stopAll();
    }

    @Test
    void anInProcessExporterIsScrapedWithoutHttpAndBoundedByTheTimeout() throws Exception {
        ScrapeJob job = job();
        job.localSource(() -> "# TYPE node_load1 gauge\nnode_load1 0.5\n".getBytes(StandardCharsets.UTF_8));
        job.sync(List.of(Target.of("__address__", "node-exporter", "instance", "node-a")));
        List<Sample> s = next();
        assertThat(value(s, "node_load1")).isEqualTo(0.5);
        assertThat(find(s, "node_load1").orElseThrow().labels()).isEqualTo(Labels.of("__name__", "node_load1", "job", "test", "instance", "node-a"));
        job.stopAll();
        emitted.clear(); // the stopped target's staleness markers

        ScrapeJob hung = job();
        hung.localSource(() -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[0];
        });
        hung.sync(List.of(Target.of("__address__", "node-exporter")));
        List<Sample> down;
        do {
            down = next();
        } while (find(down, "up").isEmpty());
        assertThat(value(down, "up")).isZero();
        assertThat(hung.targets().get(0).lastError()).contains("timed out");
        hung.stopAll();
    }
}
