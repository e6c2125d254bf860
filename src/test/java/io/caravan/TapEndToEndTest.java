package io.caravan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.tap.TapStrategy;
import io.caravan.tap.Taps;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.PrometheusServer;
import io.caravan.testing.Chromium;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live tap on a running agent: a scrape route's relabel step (targets in and out), the samples leaving a scrape
 * job, a log pipeline's loki-process step with the secrets in its lines redacted, the rate limit's skipped count, the
 * refusals (unknown route or step, too many taps), a client that goes away; the {@code tap} command against it; and
 * the UI's Live tap page in Debian's headless Chromium, screenshots in target/.
 */
// each agent stops with its class, while the suite goes on: not all together at the JVM's exit, against peers closed long before
@DirtiesContext
@SpringBootTest(classes = CaravanApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class TapEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static int port;
    static FakeTarget exporter;
    static Path dir;
    static Path targetsFile;
    static Path logFile;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        port = PrometheusServer.freePort();
        exporter = new FakeTarget("/metrics", n -> "# TYPE tap_demo_requests_total counter\ntap_demo_requests_total " + n + "\n");
        dir = Files.createTempDirectory("caravan-tap");
        targetsFile = dir.resolve("targets.json");
        writeTargets(1);
        logFile = dir.resolve("app.log");
        Files.writeString(logFile, "level=info started\n");
        registry.add("CARAVAN_HTTP_PORT", () -> port);
        registry.add("CARAVAN_DATA_DIR", () -> dir.resolve("data").toString());
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/templates.yaml,classpath:routes/sinks.yaml,classpath:tap/routes.yaml");
        registry.add("test.tap.targets", targetsFile::toString);
        registry.add("test.tap.log", logFile::toString);
    }

    /** The exporter as a file_sd group with a secret label; a new revision makes static-targets emit the list again. */
    static void writeTargets(int revision) throws IOException {
        Files.writeString(targetsFile, "[{\"targets\": [\"" + exporter.address() + "\"], \"labels\": {\"team\": \"platform\","
                + " \"api_token\": \"s3cr3t-token\", \"rev\": \"" + revision + "\"}}]");
    }

    static void appendLog(String... lines) throws IOException {
        Files.writeString(logFile, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    @Autowired
    CamelContext camel;
    @Autowired
    Taps taps;

    @AfterAll
    static void stop() {
        exporter.close();
    }

    record Event(String name, JsonNode data) {
        String text() {
            return data.path("text").asText();
        }
    }

    /** One SSE stream from GET /api/v1/tap, read on a thread of its own into a queue. */
    static final class Stream implements AutoCloseable {
        final int status;
        final String error;
        final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final StringBuilder raw = new StringBuilder();
        private final InputStream body;

        Stream(String query) throws Exception {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/tap?" + query)).build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            if (status != 200) {
                error = JSON.readTree(body.readAllBytes()).path("error").asText();
                return;
            }
            error = null;
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            Thread reader = new Thread(this::read, "tap-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = null;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (raw) {
                        raw.append(line).append('\n');
                    }
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ") && name != null) {
                        events.add(new Event(name, JSON.readTree(line.substring(6))));
                        name = null;
                    }
                }
            } catch (IOException closed) {
                // closed by the test
            }
        }

        Event next(String name) throws InterruptedException {
            Event e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a " + name + " event within 20 s").isNotNull();
            assertThat(e.name()).isEqualTo(name);
            return e;
        }

        /** Every event up to and with the end. */
        List<Event> untilEnd() throws InterruptedException {
            List<Event> all = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (all.isEmpty() || !all.get(all.size() - 1).name().equals("end")) {
                Event e = events.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                assertThat(e).as("the stream ends within 30 s; so far " + all).isNotNull();
                all.add(e);
            }
            return all;
        }

        String raw() {
            synchronized (raw) {
                return raw.toString();
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    static List<Event> items(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("item")).toList();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRelabelStepShowsEachTargetGoingInAndComingOutWithItsSecretLabelMasked() throws Exception {
        try (Stream tap = new Stream("route=tap-demo&step=relabel&direction=both&limit=2&seconds=30")) {
            JsonNode header = tap.next("tap").data();
            assertThat(header.get("step").asText()).as("relabel, resolved to the step's id").isEqualTo("relabel:tap-demo");
            assertThat(header.get("direction").asText()).isEqualTo("both");
            assertThat(header.get("rate").asInt()).isEqualTo(100);
            assertThat(header.get("describe").asText()).isEqualTo("tap-demo:relabel:tap-demo: what goes into the step (in) and comes out"
                    + " of it (out); at most 100 items a second, the rest skipped; ends after 30 s or 2 items");
            writeTargets(2); // discovery emits the list again, as it does on every change

            List<Event> events = tap.untilEnd();
            List<Event> items = items(events);
            assertThat(items).extracting(e -> e.data().get("dir").asText()).containsExactly("in", "out");
            assertThat(items).extracting(e -> e.data().get("kind").asText()).containsOnly("target");
            assertThat(items.get(0).text()).isEqualTo("{__address__=\"" + exporter.address() + "\", api_token=\"***\", rev=\"2\", team=\"platform\"}");
            assertThat(items.get(1).text()).as("the rule added owner").isEqualTo("{__address__=\"" + exporter.address()
                    + "\", api_token=\"***\", owner=\"platform\", rev=\"2\", team=\"platform\"}");
            JsonNode end = events.get(events.size() - 1).data();
            assertThat(end.get("reason").asText()).isEqualTo("limit reached");
            assertThat(end.get("items").asLong()).isEqualTo(2);
            assertThat(tap.raw()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void aScrapeJobsSamplesLeaveItsSourceAsLinesOfTheTextFormat() throws Exception {
        try (Stream tap = new Stream("route=tap-demo-samples&limit=6")) {
            JsonNode header = tap.next("tap").data();
            assertThat(header.get("step").asText()).isEqualTo("from");
            assertThat(header.get("direction").asText()).isEqualTo("from");
            List<Event> items = items(tap.untilEnd());
            assertThat(items).hasSize(6);
            assertThat(items).extracting(e -> e.data().get("dir").asText()).containsOnly("from");
            assertThat(items).extracting(e -> e.data().get("kind").asText()).containsOnly("sample");
            Pattern sample = Pattern.compile("tap_demo_requests_total\\{api_token=\"\\*\\*\\*\",instance=\"" + Pattern.quote(exporter.address())
                    + "\",job=\"tap-demo\",owner=\"platform\",rev=\"\\d\",team=\"platform\"} \\d+ \\d{13}");
            assertThat(items).extracting(Event::text).anyMatch(t -> sample.matcher(t).matches());
            assertThat(items).extracting(Event::text).anyMatch(t -> t.matches("up\\{.*job=\"tap-demo\".*} 1 \\d{13}"));
            assertThat(tap.raw()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void aLogPipelinesLinesPassWithTheirSecretsMasked() throws Exception {
        try (Stream tap = new Stream("route=tap-logs&step=loki-process&direction=both&limit=4&seconds=30")) {
            assertThat(tap.next("tap").data().get("step").asText()).as("the templated route's step").isEqualTo("loki-process:tap");
            appendLog("level=warn GET /login?user=bob&password=hunter2 Authorization: Bearer eyJhbGciOi.payload.sig",
                    "level=info fetched https://bob:hunter2@git.example/repo.git token=abc123");
            List<Event> items = items(tap.untilEnd());
            assertThat(items).extracting(e -> e.data().get("dir").asText()).containsExactly("in", "in", "out", "out");
            assertThat(items).extracting(e -> e.data().get("kind").asText()).containsOnly("entry");
            String labels = "\\{filename=\"" + Pattern.quote(logFile.toString()) + "\", job=\"tap-demo\"";
            String time = " \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z ";
            assertThat(items.get(0).text()).matches(labels + "}" + time
                    + Pattern.quote("level=warn GET /login?user=bob&password=*** Authorization: Bearer ***"));
            assertThat(items.get(1).text()).matches(labels + "}" + time
                    + Pattern.quote("level=info fetched https://bob:***@git.example/repo.git token=***"));
            assertThat(items.get(2).text()).as("the stage's label on what comes out")
                    .matches(labels + ", level=\"warn\"}" + time + ".*password=\\*\\*\\*.*");
            assertThat(items.get(3).text()).matches(labels + ", level=\"info\"}" + time + ".*");
            assertThat(tap.raw()).doesNotContain("hunter2").doesNotContain("eyJhbGciOi").doesNotContain("abc123");
        }
    }

    @Test
    void beyondTheRateItemsAreCountedAsSkipped() throws Exception {
        try (Stream tap = new Stream("route=tap-demo-samples&step=direct:mimir&rate=1&seconds=3")) {
            tap.next("tap");
            List<Event> events = tap.untilEnd();
            long items = items(events).size();
            long skipped = events.stream().filter(e -> e.name().equals("skipped")).mapToLong(e -> e.data().get("skipped").asLong()).sum();
            JsonNode end = events.get(events.size() - 1).data();
            assertThat(end.get("reason").asText()).isEqualTo("time is up");
            assertThat(items).as("one a second, a second's burst").isBetween(1L, 4L);
            assertThat(skipped).as("each scrape has more samples than the rate takes").isPositive();
            assertThat(end.get("items").asLong()).isEqualTo(items);
            assertThat(end.get("skipped").asLong()).isEqualTo(skipped);
        }
    }

    @Test
    void stepsUnknownNamesAndTooManyTapsAreAnsweredWithWhatExists() throws Exception {
        assertThat(camel.getCamelContextExtension().getInterceptStrategies()).filteredOn(TapStrategy.class::isInstance).hasSize(1);

        JsonNode steps = JSON.readTree(get("/api/v1/tap/steps?route=tap-demo").body());
        assertThat(steps.get("route").asText()).isEqualTo("tap-demo");
        assertThat(steps.get("steps")).extracting(s -> s.get("id").asText()).containsExactly("from", "relabel:tap-demo", "scrape:tap-demo");
        assertThat(steps.get("steps").get(1).get("uri").asText()).isEqualTo("relabel:tap-demo?rules=classpath:ui/rules.yaml");
        assertThat(steps.get("steps").get(1).get("kind").asText()).isEqualTo("to");
        JsonNode all = JSON.readTree(get("/api/v1/tap/steps").body());
        assertThat(all).extracting(r -> r.get("route").asText()).contains("tap-demo", "tap-demo-samples", "tap-logs", "sink-mimir");
        HttpResponse<String> noRoute = get("/api/v1/tap/steps?route=nope");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noRoute.body()).get("error").asText()).startsWith("no route 'nope' runs on this agent; its routes: ")
                .contains("tap-demo, tap-demo-samples, tap-logs");

        try (Stream unknownRoute = new Stream("route=nope")) {
            assertThat(unknownRoute.status).isEqualTo(404);
            assertThat(unknownRoute.error).startsWith("no route 'nope' runs on this agent; its routes: ").contains("tap-logs");
        }
        try (Stream unknownStep = new Stream("route=tap-demo&step=loki-process")) {
            assertThat(unknownStep.status).isEqualTo(404);
            assertThat(unknownStep.error).isEqualTo("route 'tap-demo' has no step 'loki-process'; its steps: from, relabel:tap-demo (1), scrape:tap-demo (2)");
        }
        try (Stream tooLong = new Stream("route=tap-demo&seconds=601")) {
            assertThat(tooLong.status).isEqualTo(400);
            assertThat(tooLong.error).isEqualTo("seconds must be 1 to 600, not 601");
        }

        awaitNoTaps();
        List<Stream> four = new ArrayList<>();
        try {
            for (int i = 0; i < Taps.MAX_TAPS; i++) {
                Stream s = new Stream("route=tap-demo&step=" + (i + 1 > 2 ? "from" : String.valueOf(i + 1)) + "&seconds=2");
                s.next("tap");
                four.add(s);
            }
            try (Stream fifth = new Stream("route=tap-demo-samples")) {
                assertThat(fifth.status).isEqualTo(429);
                assertThat(fifth.error).isEqualTo("4 taps are open, as many as the agent takes at once (tap-demo:relabel:tap-demo, "
                        + "tap-demo:scrape:tap-demo, tap-demo, tap-demo); try again when one ends");
            }
            for (Stream s : four) {
                List<Event> events = s.untilEnd();
                assertThat(events.get(events.size() - 1).data().get("reason").asText()).isEqualTo("time is up");
            }
        } finally {
            for (Stream s : four) {
                s.close();
            }
        }
        assertThat(taps.open()).as("ended taps are gone").isEmpty();
    }

    @Test
    void aTapWhoseClientWentAwayIsClosed() throws Exception {
        awaitNoTaps();
        Stream tap = new Stream("route=tap-logs&seconds=600");
        tap.next("tap");
        assertThat(taps.open()).hasSize(1);
        tap.close();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!taps.open().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(taps.open()).as("the keep-alive finds the client gone").isEmpty();
    }

    @Test
    void theTapCommandPrintsWhatPassesFromTheRunningAgent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CaravanApplication.dispatch(new String[]{"tap", "tap-demo-samples", "--url", "http://127.0.0.1:" + port, "--limit", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3).allMatch(l -> l.matches("[a-z_]+\\{.*instance=\"" + Pattern.quote(exporter.address())
                + "\",job=\"tap-demo\".*} [-+0-9.eE]+ \\d{13}"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("api_token=\"***\"").doesNotContain("s3cr3t");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tap: tap-demo-samples: what leaves the route's source (into its first step); "
                + "at most 100 items a second, the rest skipped; ends after 60 s or 3 items\n").contains("tap: ended, limit reached (3 items, ");

        out.reset();
        err.reset();
        code = CaravanApplication.dispatch(new String[]{"tap", "nope:relabel", "--url", "http://127.0.0.1:" + port + "/"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tap: no route 'nope' runs on this agent; its routes: ").contains("tap-demo-samples");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** The page in Chromium once {@code readyWhen} (JavaScript) holds, live: its screenshot in target/, and its DOM. */
    private static String render(String page, String readyWhen, String screenshot) throws Exception {
        return Chromium.render("http://127.0.0.1:" + port + "/" + page, readyWhen, screenshot);
    }

    /** A browser or stream a test closed leaves its tap open until the agent notices: a few seconds at most. */
    private void awaitNoTaps() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!taps.open().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(taps.open()).as("no tap left open").isEmpty();
    }

    @Test
    void theLiveTapPageShowsSamplesAndTheSkippedCount() throws Exception {
        String page = render("#tap?route=tap-demo-samples&step=direct:mimir&rate=2&seconds=60",
                "document.querySelectorAll('#tap-lines .tap-line').length >= 6 && document.querySelector('#tap-lines .skipped')", "ui-tap.png");
        assertThat(page).contains("<option value=\"tap-demo-samples\">tap-demo-samples</option>")
                .contains("<option value=\"direct:mimir\" title=\"direct:mimir\">1. direct:mimir</option>");
        assertThat(page).contains("class=\"tap-line in\" data-kind=\"sample\" data-dir=\"in\"")
                .containsPattern("tap_demo_requests_total\\{api_token=\"\\*\\*\\*\",instance=\"" + Pattern.quote(exporter.address()) + "\"");
        assertThat(page).containsPattern("<li class=\"skipped\" data-skipped=\"\\d+\">… \\d+ skipped");
        assertThat(page).as("the counter").containsPattern("id=\"tap-skipped\" data-skipped=\"[1-9]\\d*\"")
                .contains("tapping tap-demo-samples:direct:mimir: what goes into the step; at most 2 items a second");
        assertThat(page).doesNotContain("s3cr3t");
    }

    @Test
    void theLiveTapPageShowsLogLinesInAndOutRedacted() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                try {
                    appendLog("level=" + (i % 2 == 0 ? "warn" : "info") + " request " + i + " GET /login?user=bob&password=hunter2"
                            + " Authorization: Bearer eyJhbGciOi.payload.sig");
                    Thread.sleep(300);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "tap-test-log-writer");
        writer.start();
        String page;
        try {
            page = render("#tap?route=tap-logs&step=loki-process:tap&direction=both",
                    "document.querySelectorAll('#tap-lines .tap-line.in').length >= 3 && document.querySelectorAll('#tap-lines .tap-line.out').length >= 3",
                    "ui-tap-logs.png");
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(page).contains("class=\"tap-line in\" data-kind=\"entry\"").contains("class=\"tap-line out\" data-kind=\"entry\"")
                .contains("GET /login?user=bob&amp;password=*** Authorization: Bearer ***").contains("level=\"warn\"}");
        assertThat(page).doesNotContain("hunter2").doesNotContain("eyJhbGciOi");
    }
}
