package io.caravan.ui;

import io.caravan.CaravanApplication;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RealPeers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI on a running agent, in Debian's headless Chromium: the pipeline graph (a route degraded by its hung
 * target, the leader marked), the health, targets and relabel pages render with the agent's real data, and
 * screenshots land in target/ for a person to look at.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class UiBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static int port;
    static FakeTarget up;
    static FakeTarget hung;
    static FakeTarget prober;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        port = PrometheusServer.freePort();
        up = new FakeTarget("/metrics", n -> "ui_demo_requests_total " + n + "\n");
        hung = new FakeTarget("/metrics", n -> "never 1\n").delay(3_000);
        // a blackbox exporter whose probe fails: 200, probe_success 0
        prober = new FakeTarget("/probe", n -> "probe_duration_seconds 0.2\nprobe_success 0\n");
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        // state (the remote-write WAL, the Loki spill, positions) of this context only: a shared ./data would
        // replay an earlier run's samples here
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("caravan-e2e-data");
        registry.add("CARAVAN_DATA_DIR", data::toString);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/sinks.yaml,classpath:ui/routes.yaml");
        registry.add("test.ui.targets", () -> up.address() + "," + hung.address());
        registry.add("test.ui.prober", () -> prober.address());
        registry.add("LOKI_TENANT", () -> "team-ui"); // loki-local has no url: its debug sink shows the entries
    }

    @Autowired
    CamelContext camel;

    @AfterAll
    static void stop() {
        up.close();
        hung.close();
        prober.close();
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

    /** The route's node in the graph's DOM: from its opening tag to its end. */
    private static String node(String graph, String route) {
        int start = graph.indexOf("data-route=\"" + route + "\"");
        assertThat(start).as("node of route " + route).isPositive();
        return graph.substring(graph.lastIndexOf("<g", start), graph.indexOf("</g>", start));
    }

    private static JsonNode pipeline(String id) throws Exception {
        for (JsonNode n : JSON.readTree(get("/api/v1/pipelines"))) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no route " + id + " in /api/v1/pipelines");
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
        // the hung target times out: the route sending the job its targets is degraded, and says why
        JsonNode demo = pipeline("ui-demo");
        assertThat(demo.get("health").asText()).isEqualTo("DEGRADED");
        assertThat(demo.get("reasons")).extracting(JsonNode::asText).containsExactly("1/2 targets down");
        assertThat(pipeline("ui-demo-samples").get("health").asText()).as("the samples route drives nothing that is down").isEqualTo("UP");
        assertThat(pipeline("sink-mimir").get("health").asText()).as("the debug sink queues nothing").isEqualTo("UP");
        deadline = System.currentTimeMillis() + 20_000;
        while (!pipeline("ui-probe").get("health").asText().equals("DEGRADED") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(pipeline("ui-probe").get("reasons")).as("the exporter answered, the probe failed")
                .extracting(JsonNode::asText).containsExactly("1/1 probes failing (probe_success 0)");

        String graph = render("#graph", "ui-graph-degraded.png");
        assertThat(graph).contains("data-route=\"ui-demo\"").contains("data-route=\"ui-demo-samples\"").contains("data-route=\"sink-mimir\"")
                .contains("class=\"edge\"");
        assertThat(node(graph, "ui-demo")).as("degraded, with the reason on the node and in its tooltip")
                .contains("class=\"node Started degraded\"").contains("data-health=\"DEGRADED\"")
                .contains("⚠ 1/2 targets down</text>").contains("DEGRADED: 1/2 targets down");
        assertThat(node(graph, "ui-probe")).contains("data-health=\"DEGRADED\"").contains("⚠ 1/1 probes failing (probe_success 0)</text>");
        assertThat(node(graph, "ui-demo-samples")).contains("data-health=\"UP\"").contains(">healthy</text>").doesNotContain("degraded");
        assertThat(graph).as("the master: route marked").contains("data-leadership=\"leader\"").contains(">leader</text>");
        assertThat(graph).as("no other route marked").containsOnlyOnce("data-leadership=");

        String targets = render("#targets", "ui-targets.png");
        assertThat(targets).as("headed by the job label its series carry, not the endpoint's name")
                .contains("data-job=\"ui-demo\" data-job-label=\"ui_demo_job\"").contains(">ui_demo_job (1/2 up)")
                .doesNotContain("ui-demo (1/2 up)")
                .contains("http://" + up.address() + "/metrics").contains("scrape timed out after 500ms")
                .contains(">blackbox (1/1 up)").contains(">UP (probe failed)</td>");

        // discovery without an API server: the table names the route and the endpoint, and says why nothing is synced
        JsonNode discovery = JSON.readTree(get("/api/v1/discovery")).get(0);
        assertThat(discovery.get("endpoint").asText()).isEqualTo("k8s-discovery://pod?nodeName=ui-node");
        assertThat(discovery.get("route").asText()).isEqualTo("ui-discovery");
        deadline = System.currentTimeMillis() + 20_000;
        while (!get("/api/v1/discovery").contains("lastError") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        String health = render("#health", "ui-health.png");
        assertThat(health).contains("data-component=\"kubernetesDiscovery\"").contains("data-component=\"camelHealth\"")
                .contains("data-component=\"leadership\"").contains("\"role\": \"leader\"");
        assertThat(health).as("the discovery table's route and endpoint columns are filled")
                .contains("<tr class=\"discovery\"><td>ui-discovery</td><td>k8s-discovery://pod?nodeName=ui-node</td><td class=\"UNKNOWN\">false</td>")
                .contains("no API server reachable");
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
    void theRelabelDebuggerShowsWhatEachRuleChangedAndItsTraceHasALink() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!get("/api/v1/relabel").contains(up.address()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(get("/api/v1/relabel")).contains("\"name\":\"ui-demo\"").contains("\"ruleCount\":2");

        // the JSON: the input once, each rule's change, the outcome
        JsonNode kept = JSON.readTree(get("/api/v1/relabel/ui-demo/trace?target=" + up.address()));
        assertThat(kept.get("input").get("__address__").asText()).isEqualTo(up.address());
        assertThat(kept.get("result").asText()).isEqualTo("kept");
        assertThat(kept.get("output").get("owner").asText()).isEqualTo("platform");
        JsonNode rule1 = kept.get("rules").get(0);
        assertThat(rule1.get("outcome").asText()).isEqualTo("CHANGED");
        assertThat(JSON.convertValue(rule1.get("added"), Map.class)).isEqualTo(Map.of("owner", "platform"));
        assertThat(rule1.get("changed").isEmpty()).isTrue();
        assertThat(rule1.get("removed").isEmpty()).isTrue();
        assertThat(kept.get("rules").get(1).get("outcome").asText()).isEqualTo("UNCHANGED");
        assertThat(JSON.readTree(get("/api/v1/relabel/ui-demo/trace?index=0")).get("rules")).hasSize(2);
        HttpResponse<String> unseen = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/relabel/ui-demo/trace?target=10.9.9.9:1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unseen.statusCode()).isEqualTo(404);

        String dropped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/relabel/ui-demo/trace"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"__address__\":\"127.0.0.1:1\",\"team\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode drop = JSON.readTree(dropped);
        assertThat(drop.get("result").asText()).isEqualTo("dropped");
        assertThat(drop.get("droppedBy").asInt()).isEqualTo(2);
        assertThat(drop.get("output").isNull()).isTrue();
        assertThat(drop.get("rules").get(1).get("outcome").asText()).isEqualTo("DROPPED");

        // the page, opened from a link to one step and target: the per-rule diff, not the label set after each rule
        String page = render("#relabel?step=ui-demo&target=" + up.address(), "ui-relabel-deeplink.png");
        assertThat(page).contains("data-result=\"kept\"").contains("kept after 2 rules");
        assertThat(page).as("the linked target is selected in the list").contains("<li class=\"selected\">");
        String table = page.substring(page.indexOf("<table", page.indexOf("id=\"relabel-trace\"")), page.indexOf("</table>", page.indexOf("id=\"relabel-trace\"")));
        assertThat(table).contains("data-rule=\"1\" data-outcome=\"CHANGED\"")
                .contains("<li class=\"added\" data-label=\"owner\">+ owner=\"platform\"</li>")
                .contains("data-rule=\"2\" data-outcome=\"UNCHANGED\"").contains("<li class=\"none\">no change</li>");
        assertThat(table).as("labels no rule touched are not repeated").doesNotContain("__address__=").doesNotContain("team=");
        assertThat(page).contains("href=\"#relabel?step=ui-demo&amp;target=" + up.address().replace(":", "%3A") + "\"");
    }
}
