package io.caravan.scrape;

import com.sun.net.httpserver.HttpServer;
import io.caravan.component.ComponentStatus;
import io.caravan.component.ComponentStatus.Health;
import io.caravan.model.Labels;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What statuses() tells the UI: one status per job, its targets as items, the job's health from theirs. */
class ScrapeComponentStatusTest {

    private HttpServer server;
    private DefaultCamelContext camel;

    @AfterEach
    void tearDown() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void eachJobReportsItsTargetsWithTheirStateAndItsHealthFromThem() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            byte[] body = "a 1\nb 2\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String up = "127.0.0.1:" + server.getAddress().getPort();
        String down;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = "127.0.0.1:" + closed.getLocalPort(); // nothing listens there once it is closed
        }
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:mixed?addresses=" + up + "," + down).to("scrape:mixed?interval=1s&timeout=900ms");
                from("scrape:mixed").to("log:samples?level=OFF");
                from("static-targets:unread?addresses=" + up).to("scrape:unread?interval=1s&timeout=500ms");
            }
        });
        camel.start();
        ScrapeComponent scrape = camel.getComponent("scrape", ScrapeComponent.class);

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && status(scrape, "mixed").health() != Health.DEGRADED) {
            Thread.sleep(50);
        }
        ComponentStatus mixed = status(scrape, "mixed");
        assertThat(mixed.component()).isEqualTo("scrape");
        assertThat(mixed.uri()).isEqualTo("scrape://mixed?interval=1s&timeout=900ms");
        assertThat(mixed.health()).isEqualTo(Health.DEGRADED);
        assertThat(mixed.state()).isEqualTo("some down");
        assertThat(mixed.details()).containsEntry("invalidTargets", Map.of()).containsEntry("jobLabel", "mixed");
        assertThat(mixed.items()).extracting(ComponentStatus.Item::id)
                .containsExactlyInAnyOrder("http://" + up + "/metrics", "http://" + down + "/metrics");

        ComponentStatus.Item good = item(mixed, up);
        assertThat(good.state()).isEqualTo("UP");
        assertThat(good.lastError()).isNull();
        assertThat(good.labels()).containsEntry("job", "mixed").containsEntry("instance", up);
        assertThat(good.details()).containsEntry("lastSamples", 2).containsKeys("lastScrapeMs", "lastDurationSeconds");
        assertThat((Long) good.details().get("lastScrapeMs")).isPositive();

        ComponentStatus.Item bad = item(mixed, down);
        assertThat(bad.state()).isEqualTo("DOWN");
        assertThat(bad.lastError()).contains("cannot connect to 127.0.0.1");
        assertThat(mixed.lastError()).startsWith("http://" + down + "/metrics: ").contains("cannot connect");
        assertThat(mixed.lastErrorAt()).isNotNull();

        ComponentStatus unread = status(scrape, "unread");
        assertThat(unread.state()).as("no route reads scrape:unread, so its targets wait").isEqualTo("waiting");
        assertThat(unread.health()).isEqualTo(Health.UNKNOWN);
        assertThat(unread.items()).isEmpty();
        assertThat(scrape.statuses()).extracting(ComponentStatus::name).containsExactly("mixed", "unread");
    }

    @Test
    void aProbeTargetReportsItsProbeSuccessAndTheJobItsJobLabel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // a blackbox exporter: 200 either way, probe_success says whether the probe of ?target= worked
        server.createContext("/probe", ex -> {
            boolean ok = ex.getRequestURI().getQuery().contains("target=good");
            byte[] body = ("probe_duration_seconds 0.1\nprobe_success " + (ok ? 1 : 0) + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        // an ordinary target that happens to expose the name: not a probe (no ?target=), so not read
        server.createContext("/metrics", ex -> {
            byte[] body = "probe_success 0\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String exporter = "127.0.0.1:" + server.getAddress().getPort();
        java.nio.file.Path targets = dir.resolve("probes.yaml");
        java.nio.file.Files.writeString(targets, "- {__address__: \"" + exporter + "\", __param_target: good, instance: good}\n"
                + "- {__address__: \"" + exporter + "\", __param_target: bad, instance: bad}\n");
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:probes?file=" + targets).to("scrape:probes?interval=1s&timeout=900ms&metricsPath=/probe&jobName=blackbox");
                from("scrape:probes").to("log:samples?level=OFF");
                from("static-targets:plain?addresses=" + exporter).to("scrape:plain?interval=1s&timeout=900ms");
                from("scrape:plain").to("log:samples?level=OFF");
            }
        });
        camel.start();
        ScrapeComponent scrape = camel.getComponent("scrape", ScrapeComponent.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !(status(scrape, "probes").items().stream().allMatch(i -> i.state().equals("UP"))
                && status(scrape, "probes").items().size() == 2 && status(scrape, "plain").items().stream().allMatch(i -> i.state().equals("UP")))) {
            Thread.sleep(50);
        }
        ComponentStatus probes = status(scrape, "probes");
        assertThat(probes.health()).as("the exporter answered: the targets are up").isEqualTo(Health.UP);
        assertThat(item(probes, "target=good").details()).containsEntry("probeSuccess", true);
        assertThat(item(probes, "target=bad").details()).containsEntry("probeSuccess", false);
        assertThat(probes.details()).as("the job label, not the endpoint's name").containsEntry("jobLabel", "blackbox");
        assertThat(item(status(scrape, "plain"), exporter).details()).doesNotContainKey("probeSuccess");
    }

    @Test
    void healthIsUpWhenAllScrapedAreUpDegradedWhenSomeDownDownWhenAllAndUnknownBeforeAnyScrape() throws Exception {
        TargetHealth pending = target(TargetHealth.State.PENDING);
        TargetHealth up = target(TargetHealth.State.UP);
        TargetHealth down = target(TargetHealth.State.DOWN);
        assertThat(ScrapeJobStatus.health(List.of())).isEqualTo(Health.UNKNOWN);
        assertThat(ScrapeJobStatus.health(List.of(pending, pending))).isEqualTo(Health.UNKNOWN);
        assertThat(ScrapeJobStatus.health(List.of(up, up))).isEqualTo(Health.UP);
        assertThat(ScrapeJobStatus.health(List.of(up, pending))).as("a target not scraped yet is not down").isEqualTo(Health.UP);
        assertThat(ScrapeJobStatus.health(List.of(up, down))).isEqualTo(Health.DEGRADED);
        assertThat(ScrapeJobStatus.health(List.of(down, down))).isEqualTo(Health.DOWN);
    }

    private static TargetHealth target(TargetHealth.State state) {
        ScrapeTarget t = new ScrapeTarget(Labels.of("job", "j", "instance", "h:1"), URI.create("http://h:1/metrics"), 1000, 500);
        return new TargetHealth(t, state, state == TargetHealth.State.DOWN ? "boom" : null, state == TargetHealth.State.PENDING ? 0 : 1, 0.01, 1,
                null);
    }

    private static ComponentStatus status(ScrapeComponent scrape, String job) {
        return scrape.statuses().stream().filter(s -> s.name().equals(job)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for job " + job + " in " + scrape.statuses()));
    }

    private static ComponentStatus.Item item(ComponentStatus status, String address) {
        return status.items().stream().filter(i -> i.id().contains(address)).findFirst().orElseThrow();
    }
}
