package io.caravan;

import io.caravan.loki.testing.LokiReceiver;
import io.caravan.model.Sample;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RecordingReceiver;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot reload on a running agent under load: a log file written to all along and a target scraped every 200 ms, while
 * the stage file changes (picked up by the watch on CARAVAN_STAGES_LOCATION), a broken route file is refused (the
 * running routes go on, the error in health), and a fixed one and a metric relabeling change are reloaded by
 * {@code POST /-/reload}. Every line written reaches Loki exactly once, each with the stages of its time; the scrape
 * job's series carry over a reload that does not touch them without a staleness marker.
 */
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class HotReloadTest {

    static Path dir;
    static Path routes;
    static Path stages;
    static Path rules;
    static Path log;
    static int port;
    static LokiReceiver loki;
    static RecordingReceiver mimir;
    static FakeTarget target;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        loki = new LokiReceiver();
        mimir = new RecordingReceiver(n -> RecordingReceiver.Answer.OK);
        target = new FakeTarget("/metrics", n -> "app_requests_total " + n + "\n");
        dir = Files.createTempDirectory("caravan-reload");
        routes = Files.createDirectories(dir.resolve("routes"));
        stages = Files.createDirectories(dir.resolve("stages"));
        rules = Files.createDirectories(dir.resolve("rules"));
        log = dir.resolve("app.log");
        Files.createFile(log);
        for (String builtIn : RouteSources.builtInNames()) {
            if (!builtIn.equals("sinks.yaml") && !builtIn.equals(RouteSources.TEMPLATES)) {
                Files.createFile(routes.resolve(builtIn)); // switched off: only this test's pipelines and the sinks run
            }
        }
        Files.writeString(routes.resolve("app.yaml"), appRoutes(""));
        Files.writeString(stages.resolve("app.yaml"), stagesOf("1"));
        Files.writeString(rules.resolve("app-metrics.yaml"), "[]\n");
        port = PrometheusServer.freePort();
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        registry.add("CARAVAN_DATA_DIR", () -> dir.resolve("data").toString());
        registry.add("CARAVAN_ROUTES_DIR", routes::toString);
        registry.add("camel.main.routes-include-pattern", () -> RouteSources.includePattern(Map.of("CARAVAN_ROUTES_DIR", routes.toString())));
        registry.add("CARAVAN_STAGES_LOCATION", () -> "file:" + stages);
        registry.add("LOKI_WRITE_URL_LOCAL", loki::url);
        registry.add("MIMIR_WRITE_URL", mimir::url);
        registry.add("CARAVAN_SELF_SCRAPE", () -> "false");
    }

    /** A log pipeline over the file, and a scrape job of the target every 200 ms with a metric relabeling file. */
    static String appRoutes(String extraTailOption) {
        return """
                - templatedRoute:
                    routeTemplateRef: log-pipeline
                    routeId: app-logs
                    parameters:
                      - {name: name, value: app}
                      - {name: source, value: "tail:app?path=%s&labels=job=app%s"}
                - route:
                    id: app-metrics
                    from:
                      uri: "static-targets:app-metrics?addresses=%s"
                      steps:
                        - to: "scrape:app-metrics?interval=300ms&timeout=250ms&metricRelabel=file:%s"
                - route:
                    id: app-metrics-samples
                    from:
                      uri: scrape:app-metrics
                      steps:
                        - to: direct:mimir
                """.formatted(log, extraTailOption, target.address(), rules.resolve("app-metrics.yaml"));
    }

    static String stagesOf(String version) {
        return "- static_labels:\n    values:\n      version: \"" + version + "\"\n";
    }

    @AfterAll
    static void stop() {
        loki.close();
        mimir.close();
        target.close();
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/configReload")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Scrapes of the target that failed (up 0) so far. */
    private static long failedScrapes() {
        return mimir.accepted().stream().filter(s -> s.metricName().equals("up") && s.value() == 0).count();
    }

    /** The stale markers the receiver got for the target's counter so far. */
    private static long staleCounterMarkers() {
        return mimir.accepted().stream().filter(s -> s.metricName().equals("app_requests_total") && s.isStale()).count();
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void reloadsUnderLoadLoseAndDuplicateNothingAndABadFileLeavesTheRunningRoutes() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                while (writing.get()) {
                    w.write("line-" + written.incrementAndGet() + "\n");
                    w.flush();
                    Thread.sleep(1);
                }
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, "app-log-writer");
        writer.start();
        await("the first lines and samples", () -> loki.accepted().size() > 100
                && mimir.accepted().stream().anyMatch(s -> s.metricName().equals("app_requests_total")));

        // 1. the stage file changes: the watch reloads the log pipeline only
        long watchStart = System.nanoTime();
        Files.writeString(stages.resolve("app.yaml"), stagesOf("2"));
        await("the watch's reload", () -> {
            try {
                return health().contains("\"configuration\":2");
            } catch (Exception e) {
                return false;
            }
        });
        long watchMs = (System.nanoTime() - watchStart) / 1_000_000;
        int atFirstReload = written.get();
        assertThat(health()).contains("\"lastReloadFiles\":[\"file:" + routes.resolve("app.yaml"));

        // 2. a broken route file is refused: the routes running go on, the error is in health
        Files.writeString(routes.resolve("app.yaml"), appRoutes("&noSuchOption=1"));
        long refusedStart = System.nanoTime();
        HttpResponse<String> refused = post("/-/reload");
        long refusedMs = (System.nanoTime() - refusedStart) / 1_000_000;
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("\"result\":\"failed\"").contains("noSuchOption").contains("app.yaml");
        assertThat(health()).contains("\"status\":\"UNKNOWN\"").contains("noSuchOption").contains("\"configuration\":2");
        String page = io.caravan.testing.Chromium.render("http://127.0.0.1:" + port + "/#health",
                "document.querySelector('pre.reload-error') != null", "ui-reload-refused.png");
        assertThat(page).contains("configuration 2").contains("last reload failed").contains("noSuchOption");
        int before = loki.accepted().size();
        await("lines still flowing after the refused reload", () -> loki.accepted().size() > before + 100);

        // 3. the fixed file, with the metric relabeling changed too: both pipelines are replaced
        long staleBefore = staleCounterMarkers();
        assertThat(staleBefore).as("no staleness from the stage-only reload (but for failed scrapes: %d)", failedScrapes())
                .isLessThanOrEqualTo(failedScrapes());
        Files.writeString(rules.resolve("app-metrics.yaml"), """
                - {action: replace, target_label: reloaded, replacement: "yes"}
                """);
        Files.writeString(routes.resolve("app.yaml"), appRoutes("&pollInterval=100ms"));
        long reloadStart = System.nanoTime();
        HttpResponse<String> reloaded = post("/-/reload");
        long reloadMs = (System.nanoTime() - reloadStart) / 1_000_000;
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(reloaded.body()).contains("\"result\":\"reloaded\"").contains("\"configuration\":3");
        assertThat(health()).contains("\"status\":\"UP\"").doesNotContain("noSuchOption");
        await("the relabelled series", () -> mimir.accepted().stream().anyMatch(s -> "yes".equals(s.labels().get("reloaded"))));

        // 4. the sinks themselves, under load: their routes are replaced, their queues on disk carried over, and their
        // gauges read the new queues (a registry would keep handing out the old run's gauge)
        Gauge shardsBefore = meters.find("caravan_remote_write_shards").tag("sink", "mimir").gauge();
        String sinks = new String(RouteSources.class.getResourceAsStream("/routes/sinks.yaml").readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(routes.resolve("sinks.yaml"), "# overridden by HotReloadTest\n" + sinks);
        long sinksStart = System.nanoTime();
        HttpResponse<String> sinksReloaded = post("/-/reload");
        long sinksMs = (System.nanoTime() - sinksStart) / 1_000_000;
        assertThat(sinksReloaded.statusCode()).as(sinksReloaded.body()).isEqualTo(200);
        assertThat(sinksReloaded.body()).contains("\"result\":\"reloaded\"").contains("sinks.yaml");
        Gauge shardsAfter = meters.find("caravan_remote_write_shards").tag("sink", "mimir").gauge();
        assertThat(shardsAfter).isNotNull().isNotSameAs(shardsBefore);
        assertThat(shardsAfter.value()).isEqualTo(4);

        // 5. nothing changed: nothing done
        HttpResponse<String> again = post("/-/reload");
        assertThat(again.body()).contains("\"result\":\"unchanged\"");

        Thread.sleep(500);
        writing.set(false);
        writer.join();
        int total = written.get();
        await("every line at Loki", () -> loki.accepted().size() >= total);
        Thread.sleep(1_000); // a duplicate would come late
        Map<String, Integer> seen = new HashMap<>();
        Map<String, String> version = new HashMap<>();
        for (LokiReceiver.Received r : loki.accepted()) {
            seen.merge(r.line(), 1, Integer::sum);
            version.put(r.line(), r.stream());
        }
        assertThat(seen).as("each of the %d lines once", total).hasSize(total);
        assertThat(seen.values()).allMatch(n -> n == 1);
        long samples = mimir.accepted().stream().filter(s -> s.metricName().equals("app_requests_total") && !s.isStale()).count();
        System.out.printf("HotReloadTest figures: %d lines written, %d at Loki, %d distinct (0 lost, 0 duplicated); %d counter samples, "
                        + "%d failed scrapes; watch reload %d ms from the write to configuration 2 (1 s of it the quiet wait), refused POST %d ms, "
                        + "POST reload %d ms, sinks reload %d ms%n", total, loki.accepted().size(), seen.size(), samples, failedScrapes(),
                watchMs, refusedMs, reloadMs, sinksMs);
        assertThat(version.get("line-1")).contains("version=\"1\"");
        assertThat(version.get("line-" + total)).contains("version=\"2\"");
        assertThat(version.get("line-" + (atFirstReload + 1))).as("written after the first reload").contains("version=\"2\"");

        // the metric relabeling change ended the old series with one marker, and the new one goes on
        List<Sample> counter = mimir.accepted().stream().filter(s -> s.metricName().equals("app_requests_total")).toList();
        // a scrape that failed (a timeout on a busy machine) marks its series stale too, as in Prometheus
        assertThat(counter.stream().filter(s -> s.isStale() && s.labels().get("reloaded") == null).count())
                .as("the series without the new label ends with one staleness marker (%d scrapes failed): %s", failedScrapes(),
                        counter.stream().filter(Sample::isStale).toList()).isBetween(1L, 1L + failedScrapes());
        assertThat(counter.stream().filter(s -> s.isStale() && "yes".equals(s.labels().get("reloaded")))).isEmpty();
    }
}
