package io.caravan.faults;

import io.caravan.logs.LogRoute;
import io.caravan.logs.SourceStatus;
import io.caravan.logs.pods.PodLogsComponent;
import io.caravan.logs.tail.TailComponent;
import io.caravan.model.LogEntry;
import io.caravan.model.Target;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad log input through the real tail:, pod-logs: and loki-process: components on temporary files: each bad line
 * or file is counted with its reason, and the good lines beside it arrive, each exactly once.
 * Already covered elsewhere (not repeated here): a 5 MB line cut and invalid UTF-8 replaced in a tail: file
 * (TailConsumerTest.hugeLinesAreCutAndInvalidUtf8IsReplacedBothCounted), copy-truncate while running
 * (TailConsumerTest.copyTruncateRotationReadsTheFileAgainFromTheStart), a tail: file replaced by a directory
 * (TailConsumerTest.aFileReplacedByADirectoryIsReportedOnceAndFollowedAgainWhenItIsBack) and a symlink loop as the
 * tail: path (TailConsumerTest.aDirectoryOrASymlinkLoopIsReportedOnceAndHarmsNoOtherFile).
 */
@Tag("fault")
class LogFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    private String tail(String name, Path path) {
        return "tail:" + name + "?path=RAW(" + path + ")&pollInterval=10ms&scanInterval=50ms&retryInterval=20ms&dataDir="
                + dir.resolve("data");
    }

    private static void write(Path p, byte[]... parts) throws IOException {
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (byte[] b : parts) {
                out.write(b);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    // ---- pod-logs: a fake /var/log/pods, as PodLogsFilesTest builds it

    private Path podLog(String pod) throws IOException {
        return Files.createDirectories(dir.resolve("pods").resolve("shop_" + pod + "_uid-" + pod).resolve("app")).resolve("0.log");
    }

    private LogRoute podLogs() throws Exception {
        LogRoute r = new LogRoute("pod-logs:pods");
        r.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:targets").to("pod-logs:pods?baseDir=" + dir.resolve("pods") + "&dataDir=" + dir.resolve("data")
                        + "&pollInterval=10ms&retryInterval=20ms");
            }
        });
        return r.start();
    }

    private static void follow(LogRoute r, String... pods) {
        List<Target> targets = Arrays.stream(pods).map(pod -> Target.of("__address__", "10.0.0.1:80",
                "__meta_kubernetes_namespace", "shop", "__meta_kubernetes_pod_name", pod, "__meta_kubernetes_pod_uid", "uid-" + pod,
                "__meta_kubernetes_pod_container_name", "app", "namespace", "shop", "pod", pod, "container", "app")).toList();
        r.camel.createProducerTemplate().sendBody("direct:targets", targets);
    }

    private static List<String> linesOf(List<LogEntry> entries, String pod) {
        return entries.stream().filter(e -> pod.equals(e.labels().get("pod"))).map(LogEntry::line).toList();
    }

    /** {@code n} CRI lines of {@code size} bytes of {@code c}: n-1 partial (P) and a final (F) one. */
    private static byte[] criPieces(String prefix, char c, int size, int n) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(utf8(prefix + (i < n - 1 ? " P " : " F ")));
            out.writeBytes(repeat(c, size));
            out.write('\n');
        }
        return out.toByteArray();
    }

    @Test
    void containerLinesOfSeveralMegabytesAreCutToMaxLineBytesCountedAndTheNextLinesFlow() throws Exception {
        Path log = podLog("big");
        String ts = "2024-01-01T00:00:00Z ";
        write(log, utf8(ts + "stdout F before\n"),
                utf8(ts + "stdout F "), repeat('x', 5 * MB), utf8("\n"),          // one 5 MB line
                criPieces(ts + "stderr", 'y', 16 * 1024, 320),                        // 5 MB in containerd's 16 KiB pieces
                utf8(ts + "stdout F after\n"));
        try (LogRoute r = podLogs()) {
            follow(r, "big");
            List<LogEntry> got = r.entries(4, WAIT);
            r.quietFor(Duration.ofMillis(200));
            List<String> lines = linesOf(got, "big");
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo("before");
            assertThat(lines.get(1)).as("cut within the 1 MiB default, never the whole 5 MB").hasSizeLessThanOrEqualTo(MB).matches("x+");
            assertThat(lines.get(2)).as("pieces joined up to the limit, the rest dropped").hasSize(MB).matches("y+");
            assertThat(lines.get(3)).isEqualTo("after");
            assertThat(r.counter("caravan_logs_lines_truncated", "name", "pods")).isEqualTo(2);
            assertThat(r.counter("caravan_logs_lines_read", "name", "pods")).as("file lines read").isEqualTo(3 + 320);
            assertThat(r.counter("caravan_logs_bytes_read", "name", "pods")).isEqualTo(Files.size(log));
        }
    }

    @Test
    void invalidUtf8AndBinaryGarbageAreCountedPassedOnReplacedAndTheGoodLinesFlow() throws Exception {
        Path log = podLog("bin");
        byte[] garbage = new byte[256 - 1];
        for (int i = 0, b = 0; b < 256; b++) {
            if (b != '\n') {
                garbage[i++] = (byte) b;
            }
        }
        write(log, utf8("2024-01-01T00:00:00Z stdout F first\n"),
                utf8("2024-01-01T00:00:01Z stdout F bad \u00e9 "), new byte[]{(byte) 0xC3, 0x28, (byte) 0xFF, '\n'},
                garbage, utf8("\n"),
                utf8("2024-01-01T00:00:02Z stdout F last\n"));
        Path plain = dir.resolve("plain.log");
        write(plain, utf8("ok 1\n"), garbage, utf8("\n"), utf8("ok 2\n"));
        try (LogRoute r = podLogs()) {
            r.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(tail("plain", plain)).process(e -> r.batches.add(e.getMessage().getMandatoryBody(List.class)));
                }
            });
            follow(r, "bin");
            List<LogEntry> got = r.entries(7, WAIT);
            r.quietFor(Duration.ofMillis(200));
            List<String> pod = linesOf(got, "bin");
            assertThat(pod).hasSize(4);
            assertThat(pod.get(0)).isEqualTo("first");
            assertThat(pod.get(1)).isEqualTo("bad \u00e9 \uFFFD(\uFFFD");
            assertThat(pod.get(2)).as("garbage passed on raw, bad bytes replaced").contains("\uFFFD").startsWith("\0\1\2");
            assertThat(pod.get(3)).isEqualTo("last");
            assertThat(r.counter("caravan_logs_invalid_utf8_lines", "name", "pods")).isEqualTo(2);
            assertThat(r.counter("caravan_logs_malformed_lines", "name", "pods")).as("garbage is in no runtime's format").isEqualTo(1);
            List<String> tailed = got.stream().filter(e -> e.labels().get("pod") == null).map(LogEntry::line).toList();
            assertThat(tailed).hasSize(3);
            assertThat(tailed.get(0)).isEqualTo("ok 1");
            assertThat(tailed.get(2)).isEqualTo("ok 2");
            assertThat(r.counter("caravan_logs_invalid_utf8_lines", "name", "plain")).isEqualTo(1);
            assertThat(r.counter("caravan_logs_lines_read", "name", "plain")).isEqualTo(3);
        }
    }

    /** A route from a tail: file through a loki-process: pipeline into the queue. */
    private LogRoute pipeline(Path file, String stagesYaml) throws Exception {
        Path stages = dir.resolve("stages-" + file.getFileName() + ".yaml");
        Files.writeString(stages, stagesYaml);
        LogRoute r = new LogRoute();
        r.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(tail("json", file)).to("loki-process:json?stages=" + stages)
                        .process(e -> r.batches.add(e.getMessage().getMandatoryBody(List.class)));
            }
        });
        return r.start();
    }

    private static final List<String> NOT_OBJECTS = List.of("[1,2]", "\"text\"", "42", "null", "{\"level\":\"warn\"} trailing", "{\"level\":");

    @Test
    void jsonThatIsNotAnObjectIsCountedAndDroppedAndTheObjectsFlow() throws Exception {
        Path f = dir.resolve("app.log");
        StringBuilder sb = new StringBuilder("{\"level\":\"info\",\"items\":[\"a\"]}\n");
        NOT_OBJECTS.forEach(l -> sb.append(l).append('\n'));
        sb.append("{\"level\":\"error\",\"items\":[\"b\"]}\n");
        write(f, utf8(sb.toString()));
        // plain paths take the streaming scanner; items[0] is not a plain path, so that pipeline builds the tree
        for (String expressions : List.of("{level: level}", "{level: level, first: 'items[0]'}")) {
            try (LogRoute r = pipeline(f, "- json: {expressions: " + expressions + ", drop_malformed: true}\n"
                    + "- labels: {values: {level: ''}}\n")) {
                List<LogEntry> got = r.entries(2, WAIT);
                r.quietFor(Duration.ofMillis(200));
                assertThat(got).extracting(e -> e.labels().get("level")).as(expressions).containsExactly("info", "error");
                assertThat(r.counter("caravan_logs_json_malformed_entries", "pipeline", "json")).isEqualTo(NOT_OBJECTS.size());
                assertThat(r.counter("caravan_logs_dropped_entries", "reason", "json_malformed")).isEqualTo(NOT_OBJECTS.size());
                assertThat(r.counter("caravan_logs_lines_read", "name", "json")).isEqualTo(NOT_OBJECTS.size() + 2);
            }
            deletePositions(); // the next pipeline reads the file from its start again
        }
    }

    @Test
    void deeplyNestedJsonNeitherOverflowsTheStackNorStopsTheLinesAfterIt() throws Exception {
        Path f = dir.resolve("deep.log");
        int depth = 200_000;
        String deepArray = "{\"level\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        String deepObjects = "{\"level\":\"nested\",\"x\":" + "{\"x\":".repeat(500) + "1" + "}".repeat(500) + "}";
        write(f, utf8("{\"level\":\"info\"}\n" + deepArray + "\n" + deepObjects + "\n{\"level\":\"error\"}\n"));
        for (String expressions : List.of("{level: level}", "{level: level, first: 'x.x.x'}", "{level: level, any: 'x[0]'}")) {
            try (LogRoute r = pipeline(f, "- json: {expressions: " + expressions + ", drop_malformed: true}\n"
                    + "- labels: {values: {level: ''}}\n")) {
                List<LogEntry> got = r.entries(3, WAIT);
                r.quietFor(Duration.ofMillis(200));
                // 500 levels is a JSON object like any other; 200,000 is past the parser's nesting limit: malformed
                assertThat(got).extracting(e -> e.labels().get("level")).as(expressions).containsExactly("info", "nested", "error");
                assertThat(r.counter("caravan_logs_json_malformed_entries", "pipeline", "json")).isEqualTo(1);
                assertThat(r.counter("caravan_logs_dropped_entries", "reason", "json_malformed")).isEqualTo(1);
            }
            deletePositions();
        }
    }

    private void deletePositions() throws IOException {
        Path data = dir.resolve("data");
        if (Files.exists(data)) {
            try (var paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aFileThatShrankWhileTheAgentWasStoppedIsReadAgainFromTheStartCounted() throws Exception {
        // Shrinking while followed (copy-truncate): TailConsumerTest.copyTruncateRotationReadsTheFileAgainFromTheStart
        Path f = dir.resolve("shrink.log");
        write(f, utf8("a1\na2\na3\na4\na5\n"));
        try (LogRoute r = new LogRoute(tail("shrink", f)).start()) {
            assertThat(r.lines(5, WAIT)).containsExactly("a1", "a2", "a3", "a4", "a5");
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        write(f, utf8("b1\nb2\n"));
        try (LogRoute r = new LogRoute(tail("shrink", f)).start()) {
            assertThat(r.lines(2, WAIT)).containsExactly("b1", "b2");
            r.quietFor(Duration.ofMillis(200));
            assertThat(r.counter("caravan_logs_truncations", "name", "shrink")).isEqualTo(1);
            assertThat(r.counter("caravan_logs_lines_read", "name", "shrink")).isEqualTo(2);
            write(f, utf8("b3\n"));
            assertThat(r.lines(1, WAIT)).containsExactly("b3");
        }
    }

    @Test
    void aContainerLogReplacedByADirectoryIsCountedOnceWhileTheOtherPodFlows() throws Exception {
        Path flip = podLog("flip");
        Path steady = podLog("steady");
        write(flip, utf8("2024-01-01T00:00:00Z stdout F flip 1\n"));
        write(steady, utf8("2024-01-01T00:00:00Z stdout F steady 1\n"));
        try (LogRoute r = podLogs()) {
            follow(r, "flip", "steady");
            assertThat(r.lines(2, WAIT)).containsExactlyInAnyOrder("flip 1", "steady 1");
            Files.delete(flip);
            Files.createDirectory(flip);
            LogRoute.await(() -> r.counter("caravan_logs_errors", "name", "pods", "reason", "not_a_file") == 1, WAIT);
            for (int i = 2; i <= 4; i++) {
                write(steady, utf8("2024-01-01T00:00:0" + i + "Z stdout F steady " + i + "\n"));
                assertThat(r.lines(1, WAIT)).containsExactly("steady " + i);
            }
            assertThat(r.counter("caravan_logs_errors", "name", "pods", "reason", "not_a_file")).as("once, not per poll").isEqualTo(1);
            SourceStatus s = r.camel.getComponent("pod-logs", PodLogsComponent.class).getStatuses().get(0);
            assertThat(s.followers().stream().filter(x -> x.lastError() != null).findFirst().orElseThrow().lastError())
                    .contains(flip.toString()).contains("is a directory").contains("point the path at files");
            Files.delete(flip);
            write(flip, utf8("2024-01-01T00:00:05Z stdout F flip 2\n"));
            assertThat(r.lines(1, WAIT)).containsExactly("flip 2");
            assertThat(r.counter("caravan_logs_lines_read", "name", "pods")).isEqualTo(6);
        }
    }

    @Test
    void symlinkLoopsUnderAGlobAreReportedOnceAndNeverSpinOrHideTheRealFiles() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path sub = Files.createDirectories(logs.resolve("sub"));
        write(logs.resolve("a.log"), utf8("a 1\n"));
        write(sub.resolve("b.log"), utf8("b 1\n"));
        Files.createSymbolicLink(sub.resolve("up.log"), logs);               // a directory loop, matching *.log
        Files.createSymbolicLink(sub.resolve("back"), logs);                 // a directory loop the walk could descend
        Files.createSymbolicLink(logs.resolve("self.log"), logs.resolve("self.log")); // ELOOP
        try (LogRoute r = new LogRoute(tail("glob", logs.resolve("**").resolve("*.log"))).start()) {
            assertThat(r.lines(2, WAIT)).containsExactlyInAnyOrder("a 1", "b 1");
            LogRoute.await(() -> r.counter("caravan_logs_errors", "name", "glob", "reason", "unreadable") == 1
                    && r.counter("caravan_logs_errors", "name", "glob", "reason", "not_a_file") == 1, WAIT);
            for (int i = 2; i <= 4; i++) { // many scans and polls later
                write(sub.resolve("b.log"), utf8("b " + i + "\n"));
                assertThat(r.lines(1, WAIT)).containsExactly("b " + i);
            }
            r.quietFor(Duration.ofMillis(300));
            assertThat(r.counter("caravan_logs_errors", "name", "glob", "reason", "unreadable")).as("self.log, once").isEqualTo(1);
            assertThat(r.counter("caravan_logs_errors", "name", "glob", "reason", "not_a_file")).as("up.log, once").isEqualTo(1);
            assertThat(r.counter("caravan_logs_lines_read", "name", "glob")).isEqualTo(5);
            SourceStatus s = r.camel.getComponent("tail", TailComponent.class).getStatuses().get(0);
            assertThat(s.followers().stream().map(x -> String.valueOf(x.lastError())).toList())
                    .anySatisfy(e -> assertThat(e).contains(logs.resolve("self.log").toString()).contains("symbolic links"))
                    .anySatisfy(e -> assertThat(e).contains(sub.resolve("up.log").toString()).contains("is a directory"));
        }
    }
}
