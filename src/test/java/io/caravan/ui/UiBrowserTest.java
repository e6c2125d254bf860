package io.caravan.ui;

import io.caravan.CaravanApplication;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RealPeers;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI on a running agent, in Debian's headless Chromium: the pipeline graph, the health and targets
 * pages render with the agent's real data, and screenshots land in target/ for a person to look at.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class UiBrowserTest {

    static int port;
    static FakeTarget up;
    static FakeTarget hung;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        port = PrometheusServer.freePort();
        up = new FakeTarget("/metrics", n -> "ui_demo_requests_total " + n + "\n");
        hung = new FakeTarget("/metrics", n -> "never 1\n").delay(3_000);
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        // state (the remote-write WAL, the Loki spill, positions) of this context only: a shared ./data would
        // replay an earlier run's samples here
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("caravan-e2e-data");
        registry.add("CARAVAN_DATA_DIR", data::toString);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/sinks.yaml,classpath:ui/routes.yaml");
        registry.add("test.ui.targets", () -> up.address() + "," + hung.address());
        registry.add("LOKI_TENANT", () -> "team-ui"); // loki-local has no url: its debug sink shows the entries
    }

    @Autowired
    CamelContext camel;

    @AfterAll
    static void stop() {
        up.close();
        hung.close();
    }

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Chromium's DOM of a page after its scripts ran (virtual time lets the fetches finish), plus a screenshot. */
    private static String render(String page, String screenshot) throws Exception {
        String chromium = RealPeers.require("chromium", "chromium");
        Path profile = Files.createTempDirectory("caravan-chromium");
        List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=6000", "--window-size=1400,900");
        String url = "http://127.0.0.1:" + port + "/" + page;
        File shot = new File("target", screenshot);
        run(concat(common, "--screenshot=" + shot.getAbsolutePath(), url));
        assertThat(shot).as("screenshot " + shot).exists();
        return run(concat(common, "--dump-dom", url));
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return l;
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void graphHealthAndTargetsRenderWithRealData() throws Exception {
        // wait until both targets have been scraped at least once, so the pages have something to show
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(get("/api/v1/targets").contains("\"state\":\"UP\"") && get("/api/v1/targets").contains("\"state\":\"DOWN\""))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        // the lock file (the default outside Kubernetes) makes this agent leader of ui-lead's group
        deadline = System.currentTimeMillis() + 20_000;
        while (!get("/api/v1/pipelines").contains("\"role\":\"leader\"") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        String graph = render("#graph", "ui-graph.png");
        assertThat(graph).contains("data-route=\"ui-demo\"").contains("data-route=\"ui-demo-samples\"").contains("data-route=\"sink-mimir\"")
                .contains("class=\"edge\"");
        assertThat(graph).as("the master: route marked").contains("data-leadership=\"leader\"").contains(">leader</text>");
        assertThat(graph).as("no other route marked").containsOnlyOnce("data-leadership=");

        String targets = render("#targets", "ui-targets.png");
        assertThat(targets).contains("data-job=\"ui-demo\"").contains("ui-demo (1/2 up)")
                .contains("http://" + up.address() + "/metrics").contains("scrape timed out after 500ms");

        String health = render("#health", "ui-health.png");
        assertThat(health).contains("data-component=\"kubernetesDiscovery\"").contains("data-component=\"camelHealth\"")
                .contains("data-component=\"leadership\"").contains("\"role\": \"leader\"");
    }

    @Test
    void theLokiDebugSinkShowsEachEntrysTenantAndStructuredMetadata() throws Exception {
        camel.createProducerTemplate().sendBody("direct:loki-local", List.of(
                new LogEntry(Labels.of("app", "ui-demo", LogEntry.TENANT_LABEL, "team-b"), 2_000_000_000L, "as team-b",
                        Labels.of("trace_id", "abc123")),
                new LogEntry(Labels.of("app", "ui-demo"), 3_000_000_000L, "as the sink's tenant")));
        String page = render("debug/sinks/loki-local", "ui-debug-sink-loki.png");
        assertThat(page).contains("tenant=team-b metadata={trace_id=\"abc123\"} as team-b")
                .contains("tenant=team-ui as the sink's tenant")
                .doesNotContain(LogEntry.TENANT_LABEL);
        assertThat(get("/debug/sinks")).contains("loki-local\tlatest_entries=");
    }

    @Test
    void theRelabelDebuggerShowsWhichRuleChangedOrDroppedATarget() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!get("/api/v1/relabel").contains(up.address()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(get("/api/v1/relabel")).contains("\"name\":\"ui-demo\"").contains("\"ruleCount\":2");
        String trace = get("/api/v1/relabel/ui-demo/trace?index=0");
        assertThat(trace).contains("\"outcome\":\"CHANGED\"").contains("\"owner\":\"platform\"").contains("\"outcome\":\"UNCHANGED\"");
        String dropped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/relabel/ui-demo/trace"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"__address__\":\"127.0.0.1:1\",\"team\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(dropped).contains("\"outcome\":\"DROPPED\"").contains("\"rule\":2");
    }
}
