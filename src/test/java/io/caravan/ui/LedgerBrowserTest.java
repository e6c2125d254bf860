package io.caravan.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.CaravanApplication;
import io.caravan.loki.testing.LokiReceiver;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.RecordingReceiver;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ledger page on a running agent whose sinks send: a scrape job into mimir (a remote-write receiver), a tailed
 * file into loki-both (two Loki receivers), one line of it over LOKI_MAX_LINE_SIZE and dropped. The JSON, the
 * metrics and Chromium's rendering of #ledger show each sink's counts balanced and each source under its sinks; the
 * screenshot lands in target/ui-ledger.png.
 */
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class LedgerBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int LINES = 20;
    static int port;
    static FakeTarget target;
    static RecordingReceiver mimir;
    static LokiReceiver lokiLocal;
    static LokiReceiver lokiRemote;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        port = PrometheusServer.freePort();
        target = new FakeTarget("/metrics", n -> "ledger_demo_requests_total " + n + "\n");
        mimir = new RecordingReceiver(n -> RecordingReceiver.Answer.OK);
        lokiLocal = new LokiReceiver();
        lokiRemote = new LokiReceiver();
        Path data = Files.createTempDirectory("caravan-ledger-data");
        Path log = data.resolve("app.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add(i == 7 ? "x".repeat(2048) : "ledger line " + i); // one over LOKI_MAX_LINE_SIZE: dropped
        }
        Files.write(log, lines);
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        registry.add("CARAVAN_DATA_DIR", data::toString);
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/sinks.yaml,classpath:ui/ledger-routes.yaml");
        registry.add("MIMIR_WRITE_URL", mimir::url);
        registry.add("LOKI_WRITE_URL_LOCAL", lokiLocal::url);
        registry.add("LOKI_WRITE_URL_REMOTE", lokiRemote::url);
        registry.add("LOKI_MAX_LINE_SIZE", () -> "1KB");
        registry.add("LOKI_MAX_LINE_SIZE_POLICY", () -> "drop");
        registry.add("test.ledger.target", target::address);
        registry.add("test.ledger.log", log::toString);
    }

    @AfterAll
    static void stop() {
        target.close();
        mimir.close();
        lokiLocal.close();
        lokiRemote.close();
    }

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode sink(JsonNode ledger, String key) {
        for (JsonNode s : ledger.get("sinks")) {
            if (s.get("key").asText().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static JsonNode awaitLedger(String what, Predicate<JsonNode> done) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode ledger = JSON.readTree(get("/api/v1/ledger"));
            if (done.test(ledger)) {
                return ledger;
            }
            assertThat(System.currentTimeMillis()).as("waiting for " + what + "; last: " + ledger).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void theLedgerPageShowsEachSinksCountsBalancedAndEachSourceUnderItsSinks() throws Exception {
        JsonNode ledger = awaitLedger("every line delivered to both Lokis and samples acknowledged by mimir", l -> {
            JsonNode local = sink(l, "loki:loki-local");
            JsonNode remote = sink(l, "loki:loki-remote");
            JsonNode m = sink(l, "remote-write:mimir");
            return local != null && remote != null && m != null && m.get("acknowledged").asLong() > 0
                    && local.get("acknowledged").asLong() == LINES - 1 && remote.get("acknowledged").asLong() == LINES - 1;
        });
        for (String key : List.of("loki:loki-local", "loki:loki-remote")) {
            JsonNode s = sink(ledger, key);
            assertThat(s.get("produced").asLong()).as(key).isEqualTo(LINES);
            assertThat(s.get("carriedOver").asLong()).as(key).isZero();
            assertThat(s.get("persisted").asLong()).as(key).isEqualTo(LINES - 1);
            assertThat(JSON.convertValue(s.get("dropped"), Map.class)).as(key).isEqualTo(Map.of("line_too_long", 1));
            assertThat(s.get("queued").asLong()).as(key).isZero();
            assertThat(s.get("imbalance").asLong()).as(key).isZero();
            assertThat(s.get("balanced").asBoolean()).as(key).isTrue();
            assertThat(JSON.convertValue(s.get("sources"), Map.class)).as(key).isEqualTo(Map.of("ledger-logs", LINES));
        }
        assertThat(lokiLocal.accepted()).hasSize(LINES - 1);
        assertThat(lokiRemote.accepted()).hasSize(LINES - 1);
        JsonNode m = sink(ledger, "remote-write:mimir");
        assertThat(m.get("balanced").asBoolean()).isTrue();
        assertThat(m.get("produced").asLong()).isEqualTo(m.get("sources").get("ledger-samples").asLong());
        assertThat(m.get("acknowledged").asLong()).isLessThanOrEqualTo(mimir.accepted().size());
        // the sources: the dual-write one under both Lokis
        JsonNode logs = null;
        for (JsonNode s : ledger.get("sources")) {
            if (s.get("route").asText().equals("ledger-logs")) {
                logs = s;
            }
        }
        assertThat(logs).isNotNull();
        assertThat(logs.get("from").asText()).startsWith("tail://ledger-logs");
        assertThat(JSON.convertValue(logs.get("sinks"), Map.class)).isEqualTo(Map.of("loki:loki-local", LINES, "loki:loki-remote", LINES));

        String metrics = get("/actuator/prometheus");
        assertThat(metrics).contains("# TYPE caravan_ledger_items gauge")
                .contains("caravan_ledger_items{component=\"loki\",reason=\"\",sink=\"loki-local\",state=\"acknowledged\"} " + (LINES - 1) + ".0")
                .contains("caravan_ledger_items{component=\"loki\",reason=\"line_too_long\",sink=\"loki-remote\",state=\"dropped\"} 1.0")
                .contains("caravan_ledger_imbalance{component=\"loki\",sink=\"loki-local\"} 0.0")
                .contains("caravan_ledger_imbalance{component=\"remote-write\",sink=\"mimir\"} 0.0")
                .contains("caravan_ledger_source_items{component=\"loki\",sink=\"loki-remote\",source=\"ledger-logs\"} " + LINES + ".0");

        String page = io.caravan.testing.Chromium.render("http://127.0.0.1:" + port + "/#ledger",
                "document.querySelectorAll('table.ledger tr').length > 1", "ui-ledger.png");
        assertThat(page).contains("<tr data-sink=\"loki:loki-local\" data-balanced=\"true\">")
                .contains("<tr data-sink=\"loki:loki-remote\" data-balanced=\"true\">")
                .contains("<tr data-sink=\"remote-write:mimir\" data-balanced=\"true\">")
                .contains("balanced: " + LINES + " = " + (LINES - 1) + " + 1 + 0")
                .contains("line_too_long 1")
                .doesNotContain("off by");
        int row = page.indexOf("<tr data-source=\"ledger-logs\">");
        assertThat(row).as("the source's row").isPositive();
        assertThat(page.substring(row, page.indexOf("</tr>", row)))
                .contains("<td data-sink=\"loki:loki-local\">" + LINES + "</td>").contains("<td data-sink=\"loki:loki-remote\">" + LINES + "</td>")
                .contains("<td data-sink=\"remote-write:mimir\">-</td>");
        assertThat(page).contains("<tr data-source=\"ledger-samples\">");
    }
}
