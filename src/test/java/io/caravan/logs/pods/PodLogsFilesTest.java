package io.caravan.logs.pods;

import io.caravan.component.ComponentStatus;
import io.caravan.logs.LogRoute;
import io.caravan.component.ComponentStatus;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Target;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import static io.caravan.logs.pods.CriParserTest.nanos;
import static org.assertj.core.api.Assertions.assertThat;

/** A fake /var/log/pods with CRI files, targets as discovery + the seed's pod_logs relabel rules give them. */
class PodLogsFilesTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    Path base() {
        return dir.resolve("pods");
    }

    /** A pod target after relabeling: public labels plus the discovery labels the component needs. */
    static Target target(String ns, String pod, String uid, String container, String port) {
        return Target.of("__address__", "10.0.0.1:" + port, "__meta_kubernetes_namespace", ns, "__meta_kubernetes_pod_name", pod,
                "__meta_kubernetes_pod_uid", uid, "__meta_kubernetes_pod_container_name", container,
                "__meta_kubernetes_pod_phase", "Running", "__meta_kubernetes_pod_container_port_number", port,
                "namespace", ns, "pod", pod, "container", container, "node", "node-a", "app", pod.replaceAll("-\\d+$", ""));
    }

    Path logDir(String ns, String pod, String uid, String container) throws IOException {
        return Files.createDirectories(base().resolve(ns + "_" + pod + "_" + uid).resolve(container));
    }

    static void append(Path p, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Files.writeString(p, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    LogRoute route() throws Exception {
        LogRoute r = new LogRoute("pod-logs:pods");
        r.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:targets").to("pod-logs:pods?baseDir=" + base() + "&dataDir=" + dir.resolve("data")
                        + "&pollInterval=10ms&retryInterval=20ms");
            }
        });
        return r.start();
    }

    static void send(LogRoute r, List<Target> targets) {
        r.camel.createProducerTemplate().sendBody("direct:targets", targets);
    }

    static List<String> lines(List<LogEntry> entries, String pod) {
        return entries.stream().filter(e -> pod.equals(e.labels().get("pod"))).map(LogEntry::line).toList();
    }

    @Test
    void criFilesOfTwoPodsBecomeEntriesWithTheTargetsLabels() throws Exception {
        Path web = logDir("shop", "web-1", "u-1", "web").resolve("0.log");
        Path db = logDir("ops", "db-0", "u-2", "db").resolve("0.log");
        append(web, "2024-01-01T00:00:00.000000001Z stdout F GET /",
                "2024-01-01T00:00:01Z stderr P a long ",
                "2024-01-01T00:00:01.2Z stdout F GET /health",
                "2024-01-01T00:00:01.5Z stderr F stack trace");
        append(db, "2024-01-01T00:00:02Z stdout F ready");
        try (LogRoute r = route()) {
            // two ports of web: one container, followed once
            send(r, List.of(target("shop", "web-1", "u-1", "web", "8080"), target("shop", "web-1", "u-1", "web", "9090"),
                    target("ops", "db-0", "u-2", "db", "5432")));
            List<LogEntry> got = r.entries(4, WAIT);
            r.quietFor(Duration.ofMillis(150));
            assertThat(lines(got, "web-1")).containsExactly("GET /", "GET /health", "a long stack trace");
            LogEntry first = got.stream().filter(e -> e.line().equals("GET /")).findFirst().orElseThrow();
            assertThat(first.timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:00.000000001Z"));
            assertThat(first.labels()).isEqualTo(Labels.of("namespace", "shop", "pod", "web-1", "container", "web",
                    "node", "node-a", "app", "web", "stream", "stdout")); // no filename: one stream across restarts
            LogEntry joined = got.stream().filter(e -> e.line().equals("a long stack trace")).findFirst().orElseThrow();
            assertThat(joined.labels().get("stream")).isEqualTo("stderr");
            assertThat(joined.timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:01Z"));
            LogEntry ready = got.stream().filter(e -> e.line().equals("ready")).findFirst().orElseThrow();
            assertThat(ready.labels().get("namespace")).isEqualTo("ops");
            assertThat(ready.labels().get("app")).isEqualTo("db");

            List<ComponentStatus> status = r.camel.getComponent("pod-logs", PodLogsComponent.class).statuses();
            assertThat(status).hasSize(1);
            assertThat(status.get(0).items()).hasSize(2).allSatisfy(f -> assertThat(f.details()).containsEntry("lagBytes", 0L));
        }
    }

    @Test
    void dockerJsonFilesAreReadTooWithSplitLinesJoined() throws Exception {
        Path log = logDir("legacy", "app-0", "u-9", "app").resolve("0.log");
        append(log, "{\"log\":\"first part, \",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.5Z\"}",
                "{\"log\":\"oops\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:00.6Z\"}",
                "{\"log\":\"second part\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.7Z\"}",
                "garbage \u0000\u0001 not a log line");
        try (LogRoute r = route()) {
            send(r, List.of(target("legacy", "app-0", "u-9", "app", "80")));
            List<LogEntry> got = r.entries(3, WAIT);
            assertThat(got).extracting(LogEntry::line).containsExactly("oops", "first part, second part", "garbage \u0000\u0001 not a log line");
            assertThat(got.get(0).labels().get("stream")).isEqualTo("stderr");
            assertThat(got.get(1).timestampNanos()).isEqualTo(nanos("2024-01-01T00:00:00.5Z"));
            assertThat(got.get(2).labels().has("stream")).isFalse();
            assertThat(r.counter("caravan_logs_malformed_lines", "name", "pods")).isEqualTo(1);
        }
    }

    @Test
    void aRemovedPodIsReadToItsEndThenForgotten() throws Exception {
        Path web = logDir("shop", "web-1", "u-1", "web").resolve("0.log");
        Path db = logDir("ops", "db-0", "u-2", "db").resolve("0.log");
        append(web, "2024-01-01T00:00:00Z stdout F web 1");
        append(db, "2024-01-01T00:00:00Z stdout F db 1");
        try (LogRoute r = route()) {
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80"), target("ops", "db-0", "u-2", "db", "80")));
            List<LogEntry> firstTwo = r.entries(2, WAIT);
            append(db, "2024-01-01T00:00:01Z stdout F db last words");
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80"))); // db-0 deleted
            try {
                assertThat(r.lines(1, WAIT)).containsExactly("db last words");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + firstTwo + r.camel.getComponent("pod-logs", PodLogsComponent.class).statuses());
            }
            PodLogsComponent c = r.camel.getComponent("pod-logs", PodLogsComponent.class);
            LogRoute.await(() -> c.statuses().get(0).items().size() == 1, WAIT);
            String positions = Files.readString(dir.resolve("data/positions/pod-logs-pods.jsonl"));
            assertThat(positions).contains("shop_web-1_u-1/web").doesNotContain("db-0");

            append(db, "2024-01-01T00:00:02Z stdout F nobody listens");
            append(web, "2024-01-01T00:00:02Z stdout F web 2");
            assertThat(r.lines(1, WAIT)).containsExactly("web 2");
            r.quietFor(Duration.ofMillis(150));
        }
    }

    /**
     * A pod deleted after its container restarted, before the reader saw the restart: the old log's rest and the
     * new log are both read before the follower is retired (the kubelet keeps the directory a while).
     */
    @Test
    void aRemovedPodIsReadToTheEndOfItsNewestLogBeforeItIsForgotten() throws Exception {
        Path dir0 = logDir("shop", "web-1", "u-1", "web");
        append(dir0.resolve("0.log"), "2024-01-01T00:00:00Z stdout F first run");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (LogRoute r = route()) {
            r.hook = batch -> {
                if (batch.get(0).line().equals("first run")) {
                    held.countDown();
                    release.await(); // the reader is busy while the container restarts and the pod goes
                }
            };
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80")));
            held.await();
            append(dir0.resolve("0.log"), "2024-01-01T00:00:01Z stdout F dying words");
            append(dir0.resolve("1.log"), "2024-01-01T00:00:02Z stdout F second run", "2024-01-01T00:00:03Z stdout F last words");
            send(r, List.of());
            release.countDown();
            assertThat(r.lines(4, WAIT)).containsExactly("first run", "dying words", "second run", "last words");
            PodLogsComponent c = r.camel.getComponent("pod-logs", PodLogsComponent.class);
            LogRoute.await(() -> c.statuses().get(0).items().isEmpty(), WAIT);
            assertThat(Files.readString(dir.resolve("data/positions/pod-logs-pods.jsonl"))).doesNotContain("web-1");
            append(dir0.resolve("1.log"), "2024-01-01T00:00:04Z stdout F nobody listens");
            r.quietFor(Duration.ofMillis(150));
        }
    }

    @Test
    void containerRestartSwitchesToTheNewFileAfterTheOldOne() throws Exception {
        Path dir0 = logDir("shop", "web-1", "u-1", "web");
        append(dir0.resolve("0.log"), "2024-01-01T00:00:00Z stdout F first run");
        try (LogRoute r = route()) {
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80")));
            assertThat(r.lines(1, WAIT)).containsExactly("first run");
            append(dir0.resolve("0.log"), "2024-01-01T00:00:01Z stdout F dying words");
            append(dir0.resolve("1.log"), "2024-01-01T00:00:02Z stdout F second run");
            List<LogEntry> got = r.entries(2, WAIT);
            assertThat(got).extracting(LogEntry::line).containsExactly("dying words", "second run");
            assertThat(got.get(1).labels()).as("the restarted container stays in its stream").isEqualTo(got.get(0).labels());

            // kubelet rotation: 1.log -> 1.log.<timestamp>, a new 1.log
            append(dir0.resolve("1.log"), "2024-01-01T00:00:03Z stdout F before rotation");
            Files.move(dir0.resolve("1.log"), dir0.resolve("1.log.20240101-000003"));
            append(dir0.resolve("1.log"), "2024-01-01T00:00:04Z stdout F after rotation");
            assertThat(r.lines(2, WAIT)).containsExactly("before rotation", "after rotation");
            r.quietFor(Duration.ofMillis(150));
        }
    }

    @Test
    void aRestartOfTheAgentResumesEachContainerWhereItWas() throws Exception {
        Path log = logDir("shop", "web-1", "u-1", "web").resolve("0.log");
        append(log, "2024-01-01T00:00:00Z stdout F one", "2024-01-01T00:00:01Z stdout P two, ");
        try (LogRoute r = route()) {
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80")));
            assertThat(r.lines(1, WAIT)).containsExactly("one");
            r.quietFor(Duration.ofMillis(100));
        }
        // stopped inside a split line: its first piece is read again, so the line comes whole
        append(log, "2024-01-01T00:00:01Z stdout F joined");
        try (LogRoute r = route()) {
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80")));
            assertThat(r.lines(1, WAIT)).containsExactly("two, joined");
            r.quietFor(Duration.ofMillis(100));
        }
    }

    @Test
    void targetsWithoutContainerLabelsAreReportedNotFollowed() throws Exception {
        try (LogRoute r = route()) {
            send(r, List.of(Target.of("__address__", "10.0.0.1:80", "namespace", "shop")));
            ComponentStatus s = r.camel.getComponent("pod-logs", PodLogsComponent.class).statuses().get(0);
            assertThat(s.items()).isEmpty();
            assertThat(s.lastError()).contains("__meta_kubernetes_pod_uid");
        }
    }

    @Test
    void theStatusListsTheContainersAndTheTargetsItSkipped() throws Exception {
        Path log = logDir("shop", "web-1", "u-1", "web").resolve("0.log");
        append(log, "2024-01-01T00:00:00Z stdout F served");
        try (LogRoute r = route()) {
            PodLogsComponent pods = r.camel.getComponent("pod-logs", PodLogsComponent.class);
            Target invalid = Target.of("__address__", "10.0.0.1:80", "namespace", "shop");
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80"), invalid));
            assertThat(r.lines(1, WAIT)).containsExactly("served");

            ComponentStatus s = pods.statuses().get(0);
            assertThat(s.component()).isEqualTo("pod-logs");
            assertThat(s.name()).isEqualTo("pods");
            assertThat(s.health()).isEqualTo(ComponentStatus.Health.DEGRADED);
            assertThat(s.state()).isEqualTo("following");
            assertThat(s.lastError()).startsWith("1 target(s) skipped").contains("__meta_kubernetes_pod_uid");
            assertThat(s.lastErrorAt()).isNotNull();
            assertThat(s.details()).containsEntry("mode", "files").containsEntry("files", 1)
                    .containsEntry("positionsFile", dir.resolve("data/positions/pod-logs-pods.jsonl").toString());
            assertThat(s.details().get("invalidTargets")).isEqualTo(
                    java.util.Map.of(invalid.labels().toString(), s.lastError().substring("1 target(s) skipped: ".length())));
            assertThat(s.items()).hasSize(1);
            ComponentStatus.Item web = s.items().get(0);
            assertThat(web.id()).isEqualTo("shop_web-1_u-1/web");
            assertThat(web.labels()).containsEntry("pod", "web-1").containsEntry("container", "web")
                    .doesNotContainKeys("__meta_kubernetes_pod_uid", "__address__");
            assertThat(web.lastError()).isNull();
            assertThat(web.details()).containsEntry("file", log.toString()).containsKeys("position", "size", "lagBytes", "linesRead");

            send(r, List.of(target("shop", "web-1", "u-1", "web", "80"))); // the relabel rules fixed: nothing skipped
            s = pods.statuses().get(0);
            assertThat(s.health()).isEqualTo(ComponentStatus.Health.UP);
            assertThat(s.lastError()).isNull();
            assertThat(s.details().get("invalidTargets")).isEqualTo(java.util.Map.of());
        }
    }

    @Test
    void withoutARouteReadingItTheSourceSaysItWaits() throws Exception {
        append(logDir("shop", "web-1", "u-1", "web").resolve("0.log"), "2024-01-01T00:00:00Z stdout F kept for later");
        try (LogRoute r = new LogRoute()) {
            r.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:targets").to("pod-logs:unread?baseDir=" + base() + "&dataDir=" + dir.resolve("data")
                            + "&pollInterval=10ms&retryInterval=20ms");
                }
            });
            r.start();
            PodLogsComponent pods = r.camel.getComponent("pod-logs", PodLogsComponent.class);
            assertThat(pods.statuses().get(0).state()).isEqualTo("waiting");
            assertThat(pods.statuses().get(0).health()).isEqualTo(ComponentStatus.Health.UP); // nothing to read yet
            send(r, List.of(target("shop", "web-1", "u-1", "web", "80")));
            LogRoute.await(() -> pods.statuses().get(0).health() == ComponentStatus.Health.DEGRADED, WAIT);
            assertThat(pods.statuses().get(0).state()).isEqualTo("waiting");
            assertThat(pods.statuses().get(0).lastError()).contains("no route reads pod-logs:unread");
        }
    }
}
