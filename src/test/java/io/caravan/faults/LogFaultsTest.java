package io.caravan.faults;

import io.caravan.logs.FileFollower;
import io.caravan.logs.LogRoute;
import io.caravan.component.ComponentStatus;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad log input and hostile rotations through the real tail:, pod-logs: and loki-process: components on temporary
 * files: each bad line or file is counted with its reason, and the good lines beside it arrive, each exactly once;
 * pods replaced while the agent is away, copy-truncate under a writer that never stops, kube-apiserver's renamed
 * and compressed audit logs and a reused inode lose and duplicate nothing; what is really gone is counted.
 * Already covered elsewhere (not repeated here): a 5 MB line cut and invalid UTF-8 replaced in a tail: file
 * (TailConsumerTest.hugeLinesAreCutAndInvalidUtf8IsReplacedBothCounted), a tail: file replaced by a directory
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
            ComponentStatus s = r.camel.getComponent("pod-logs", PodLogsComponent.class).statuses().get(0);
            assertThat(s.items().stream().filter(x -> x.lastError() != null).findFirst().orElseThrow().lastError())
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
            ComponentStatus s = r.camel.getComponent("tail", TailComponent.class).statuses().get(0);
            assertThat(s.items().stream().map(x -> String.valueOf(x.lastError())).toList())
                    .anySatisfy(e -> assertThat(e).contains(logs.resolve("self.log").toString()).contains("symbolic links"))
                    .anySatisfy(e -> assertThat(e).contains(sub.resolve("up.log").toString()).contains("is a directory"));
        }
    }
    // ---- issue 14: nothing lost, nothing duplicated on a real DaemonSet

    private static Target podTarget(String pod, String uid) {
        return Target.of("__address__", "10.0.0.1:80", "__meta_kubernetes_namespace", "shop", "__meta_kubernetes_pod_name", pod,
                "__meta_kubernetes_pod_uid", uid, "__meta_kubernetes_pod_container_name", "app",
                "namespace", "shop", "pod", pod, "container", "app", "app", "web", "node", "node-a");
    }

    private Path containerDir(String pod, String uid) throws IOException {
        return Files.createDirectories(dir.resolve("pods").resolve("shop_" + pod + "_" + uid).resolve("app"));
    }

    private static byte[] cri(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append("2024-01-01T00:00:00Z stdout F ").append(l).append('\n');
        }
        return utf8(sb.toString());
    }

    /**
     * The three-node run's first finding: pods recreated while the agent was away. The old incarnation wrote on
     * after the agent stopped and restarted its container once; another pod's directory was already removed by the
     * kubelet; the new incarnation is the only one discovery lists. Every line of both incarnations arrives once,
     * the old one's with the labels it had (stored with its position: "app" is in no path), the removed pod's loss
     * is counted and named, and a second restart delivers nothing again.
     */
    @Test
    void podsReplacedWhileTheAgentWasStoppedLoseNoLineOfEitherIncarnation() throws Exception {
        Path old = containerDir("web-1", "uid-a");
        Path removed = containerDir("db-0", "uid-d");
        write(old.resolve("0.log"), cri("a1", "a2"));
        write(removed.resolve("0.log"), cri("d1"));
        try (LogRoute r = podLogs()) {
            r.camel.createProducerTemplate().sendBody("direct:targets", List.of(podTarget("web-1", "uid-a"), podTarget("db-0", "uid-d")));
            assertThat(r.lines(3, WAIT)).containsExactlyInAnyOrder("a1", "a2", "d1");
            r.quietFor(Duration.ofMillis(100));
        }
        // while the agent is away: the old web-1 writes on, its container restarts, the pod is replaced
        write(old.resolve("0.log"), cri("a3", "a4"));
        write(old.resolve("1.log"), cri("a5"));
        Path fresh = containerDir("web-1", "uid-b");
        write(fresh.resolve("0.log"), cri("b1", "b2"));
        write(removed.resolve("0.log"), cri("d2")); // ...and db-0 is deleted and its logs removed before the agent is back
        deleteTree(removed.getParent());

        try (LogCapture warnings = new LogCapture(FileFollower.class); LogRoute r = podLogs()) {
            r.camel.createProducerTemplate().sendBody("direct:targets", List.of(podTarget("web-1", "uid-b")));
            List<LogEntry> got = r.entries(5, WAIT);
            r.quietFor(Duration.ofMillis(300));
            assertThat(got).extracting(LogEntry::line).containsExactlyInAnyOrder("a3", "a4", "a5", "b1", "b2");
            assertThat(got.stream().map(LogEntry::line).filter(l -> l.startsWith("a"))).containsExactly("a3", "a4", "a5");
            assertThat(got).allSatisfy(e -> assertThat(e.labels().toMap()).containsOnlyKeys("namespace", "pod", "container", "app", "node", "stream")
                    .containsEntry("pod", "web-1").containsEntry("app", "web").containsEntry("node", "node-a"));
            assertThat(r.counter("caravan_logs_lost", "name", "pods", "reason", "deleted")).isEqualTo(1);
            assertThat(warnings.warnings()).anySatisfy(w -> assertThat(w).contains(removed.resolve("0.log").toString())
                    .contains("is gone").contains("Keep rotated logs"));
            Path positions = dir.resolve("data/positions/pod-logs-pods.jsonl");
            LogRoute.await(() -> read(positions).contains("uid-b") && !read(positions).contains("uid-a") && !read(positions).contains("uid-d"), WAIT);
        }
        try (LogRoute r = podLogs()) {
            r.camel.createProducerTemplate().sendBody("direct:targets", List.of(podTarget("web-1", "uid-b")));
            r.quietFor(Duration.ofMillis(300)); // all of it was delivered and retired: nothing comes twice
            write(fresh.resolve("0.log"), cri("b3"));
            assertThat(r.lines(1, WAIT)).containsExactly("b3");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var paths = Files.walk(p)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    private static void gzip(Path from, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
    }

    /**
     * The soak's copy-truncate loss (2,566 lines in 15 of 15 rotations), as a storm: a writer that never stops,
     * and 30 rotations by copy + truncate, the copies named as logrotate names them ({@code app.log-N}, and
     * {@code app.log.N.gz} compressed before the truncate, so the reader can only find the .gz), older copies
     * deleted. At each rotation the reader is held back for a moment so that lines it has not read yet are only
     * in the copy. Every line written arrives once, in order.
     *
     * <p>The writer waits while the test copies and truncates (the copy holds everything up to the truncation: the
     * guarantee is "as far as the copy exists"), and until the reader has seen the file shrink: a truncation the
     * reader cannot see (the writer refilled the file past the read position before the next look) is the window
     * copy-truncate leaves, documented in the package. Likewise a rotation waits until the reader is in the
     * current file: two rotations between two looks are not told apart.
     */
    @Test
    void copyTruncateStormUnderAWriterThatNeverStopsLosesAndDuplicatesNothing() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("ct"));
        Path f = logs.resolve("app.log");
        write(f, new byte[0]);
        Object writerLock = new Object();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        AtomicReference<CountDownLatch> held = new AtomicReference<>(new CountDownLatch(1));
        List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        LogRoute.Hook hook = batch -> {
            CountDownLatch g = gate.get();
            if (g.getCount() > 0) {
                held.get().countDown();
                g.await();
            }
            batch.forEach(e -> got.add(e.line()));
            received.addAndGet(batch.size());
        };
        int rotations = 30;
        long unreadAtTruncations = 0;
        try (LogCapture warnings = new LogCapture(FileFollower.class);
             LogRoute r = new LogRoute(hook, tail("ct", f) + "&batchLines=100").start()) {
            Thread writer = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
                    while (!stop.get()) {
                        while (written.get() - received.get() > 5_000 && !stop.get()) {
                            Thread.sleep(1); // never more than 5,000 lines ahead: the test stays short on a slow disk
                        }
                        for (int k = 0; k < 20; k++) {
                            synchronized (writerLock) {
                                out.write(utf8("line " + written.get() + "\n"));
                                written.incrementAndGet();
                            }
                        }
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            int generationStart = 0;
            for (int round = 0; round < rotations; round++) {
                int start = generationStart;
                LogRoute.await(() -> received.get() > start, WAIT); // the reader is in the current file
                CountDownLatch g = new CountDownLatch(1);
                held.set(new CountDownLatch(1));
                gate.set(g);
                held.get().await(); // the reader holds a batch; the writer goes on
                LogRoute.await(() -> written.get() > r.counter("caravan_logs_lines_read", "name", "ct"), WAIT);
                synchronized (writerLock) {
                    long unread = written.get() - (long) r.counter("caravan_logs_lines_read", "name", "ct");
                    assertThat(unread).as("lines only in the copy of round %d", round).isPositive();
                    unreadAtTruncations += unread;
                    Path copy = round % 2 == 0 ? logs.resolve("app.log-" + round) : logs.resolve("app.log." + round);
                    Files.copy(f, copy);
                    if (round % 2 == 1) {
                        gzip(copy, logs.resolve("app.log." + round + ".gz"));
                        Files.delete(copy);
                    }
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(0);
                    }
                    Files.deleteIfExists(logs.resolve("app.log-" + (round - 3))); // rotate 3: older copies go
                    Files.deleteIfExists(logs.resolve("app.log." + (round - 3) + ".gz"));
                    gate.set(new CountDownLatch(0));
                    g.countDown();
                    int seen = round + 1;
                    LogRoute.await(() -> r.counter("caravan_logs_truncations", "name", "ct") >= seen, WAIT);
                    generationStart = written.get();
                }
            }
            stop.set(true);
            writer.join();
            int total = written.get();
            LogRoute.await(() -> received.get() >= total, Duration.ofSeconds(60));
            r.batches.clear(); // the hook kept them
            r.quietFor(Duration.ofMillis(300));
            assertThat(got).containsExactlyElementsOf(IntStream.range(0, total).mapToObj(i -> "line " + i).toList());
            assertThat(unreadAtTruncations).as("lines that were only in the copies").isGreaterThanOrEqualTo(rotations);
            assertThat(r.counter("caravan_logs_truncations", "name", "ct")).isEqualTo(rotations);
            assertThat(r.meters.find("caravan_logs_lost").counters()).isEmpty();
            assertThat(warnings.warnings()).isEmpty();
        }
    }

    private static String auditEvent(String id) {
        // every audit event starts with the same ~75 bytes: the fingerprint must reach past them
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + id
                + "\",\"stage\":\"ResponseComplete\",\"verb\":\"get\"}\n";
    }

    /**
     * kube-apiserver rotates its audit log by renaming it to {@code audit-<timestamp>.log} and may compress the
     * backup. While the agent runs, the renamed file is read to its end through the open file, also what the
     * server wrote to it before it reopened. While the agent is away, the log is renamed and compressed, the
     * plain backup deleted, before the agent read it: its rest is read from the .gz (an older backup with the
     * same opening bytes is not taken for it), then the new log; each line once, all as {@code filename=audit.log}.
     */
    @Test
    void auditLogRenamedToApiserverBackupsAndCompressedBeforeItWasReadLosesNothing() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("kube-audit"));
        Path f = logs.resolve("audit.log");
        Path older = logs.resolve("audit-2026-12-01T09-00-00.000.log");
        write(older, utf8(auditEvent("older-1") + auditEvent("older-2")));
        gzip(older, logs.resolve(older.getFileName() + ".gz"));
        Files.delete(older);
        write(f, utf8(auditEvent("e1") + auditEvent("e2")));
        String uri = tail("audit", f) + "&labels=job=kube-audit";
        try (LogRoute r = new LogRoute(uri).start()) {
            assertThat(ids(r.entries(2, WAIT))).containsExactly("e1", "e2");
            write(f, utf8(auditEvent("e3")));
            Files.move(f, logs.resolve("audit-2026-12-02T11-37-27.123.log"));
            write(logs.resolve("audit-2026-12-02T11-37-27.123.log"), utf8(auditEvent("e4"))); // before the server reopened
            write(f, utf8(auditEvent("e5")));
            List<LogEntry> got = r.entries(3, WAIT);
            assertThat(ids(got)).containsExactly("e3", "e4", "e5");
            assertThat(got).allSatisfy(e -> assertThat(e.labels().get("filename")).isEqualTo(f.toString()));
            r.quietFor(Duration.ofMillis(100));
        }
        write(f, utf8(auditEvent("e6") + auditEvent("e7")));
        Path backup = logs.resolve("audit-2026-12-02T12-00-00.000.log");
        Files.move(f, backup);
        gzip(backup, logs.resolve(backup.getFileName() + ".gz"));
        Files.delete(backup);
        write(f, utf8(auditEvent("e8")));
        try (LogRoute r = new LogRoute(uri).start()) {
            List<LogEntry> got = r.entries(3, WAIT);
            r.quietFor(Duration.ofMillis(200));
            assertThat(ids(got)).containsExactly("e6", "e7", "e8");
            assertThat(got).allSatisfy(e -> assertThat(e.labels().get("filename")).isEqualTo(f.toString()));
            assertThat(r.meters.find("caravan_logs_lost").counters()).isEmpty();
        }
        try (LogRoute r = new LogRoute(uri).start()) {
            r.quietFor(Duration.ofMillis(200));
            write(f, utf8(auditEvent("e9")));
            assertThat(ids(r.entries(1, WAIT))).containsExactly("e9");
        }
    }

    private static List<String> ids(List<LogEntry> entries) {
        return entries.stream().map(e -> e.line().replaceAll(".*\"auditID\":\"([^\"]+)\".*", "$1")).toList();
    }

    /**
     * An inode is handed to a new file once the old one is deleted. The stored position names the inode the new
     * file has (the kernel often reuses it at once; here the test makes sure), and the new file is longer than the
     * stored offset: its first bytes tell it apart, so it is read from its start; the old file's loss is counted.
     */
    @Test
    void aReusedInodeIsKnownByTheFileFirstBytesAndTheNewFileIsReadFromItsStart() throws Exception {
        Path f = dir.resolve("reuse.log");
        write(f, utf8("first 1\nfirst 2\n"));
        try (LogRoute r = new LogRoute(tail("reuse", f)).start()) {
            assertThat(r.lines(2, WAIT)).containsExactly("first 1", "first 2");
            r.quietFor(Duration.ofMillis(100));
        }
        Files.delete(f);
        write(f, utf8("second 1\nsecond 2\nsecond 3\nsecond 4\n"));
        String newKey = Files.readAttributes(f, BasicFileAttributes.class).fileKey().toString();
        Path positions = dir.resolve("data/positions/tail-reuse.jsonl");
        Files.writeString(positions, read(positions).replaceAll("\"fileKey\":\"[^\"]*\"", "\"fileKey\":\"" + newKey + "\""));
        assertThat(read(positions)).contains(newKey).contains("\"offset\":16");
        try (LogRoute r = new LogRoute(tail("reuse", f)).start()) {
            assertThat(r.lines(4, WAIT)).containsExactly("second 1", "second 2", "second 3", "second 4");
            r.quietFor(Duration.ofMillis(150));
            assertThat(r.counter("caravan_logs_lost", "name", "reuse", "reason", "truncated")).isEqualTo(1);
        }
    }

    /**
     * A copy-truncate whose copy is nowhere the rotated names look: the loss is counted and named once, with what
     * to do. The same rotation with the copy's name configured ({@code rotatedNames}) loses nothing.
     */
    @Test
    void aTruncatedFileWhoseCopyIsNotFoundIsCountedAndAConfiguredCopyNameIsFollowed() throws Exception {
        Path f = dir.resolve("app.log");
        Path elsewhere = Files.createDirectories(dir.resolve("backup")).resolve("app.log.1");
        Path renamed = dir.resolve("app.old");
        write(f, utf8("a 1\n"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean(true);
        LogRoute.Hook hook = batch -> {
            if (hold.get()) {
                release.await(); // the first batch is held while the rotation happens: "a 2" is not read yet
            }
        };
        try (LogCapture warnings = new LogCapture(FileFollower.class);
             LogRoute r = new LogRoute(hook, tail("lost", f) + "&batchLines=1", tail("kept", renamed.resolveSibling("kept.log"))
                     + "&batchLines=1&rotatedNames=RAW(<base>.old)").start()) {
            LogRoute.await(() -> r.counter("caravan_logs_lines_read", "name", "lost") == 1, WAIT);
            write(f, utf8("a 2\n"));
            Files.copy(f, elsewhere);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            hold.set(false);
            release.countDown();
            LogRoute.await(() -> r.counter("caravan_logs_lost", "name", "lost", "reason", "truncated") == 1, WAIT);
            write(f, utf8("b 1\n")); // after the shrink was seen: a refill past the read position would hide it
            assertThat(r.lines(2, WAIT)).containsExactly("a 1", "b 1");
            assertThat(r.counter("caravan_logs_lost", "name", "lost", "reason", "truncated")).isEqualTo(1);
            assertThat(warnings.warnings()).singleElement().asString().contains(f.toString()).contains("shrank from")
                    .contains("rotatedNames");

            Path kept = renamed.resolveSibling("kept.log");
            write(kept, utf8("k 1\n"));
            assertThat(r.lines(1, WAIT)).containsExactly("k 1");
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            r.hook = batch -> {
                entered.countDown();
                go.await();
            };
            write(kept, utf8("k 2\n"));
            entered.await();
            write(kept, utf8("k 3\n"));
            Files.copy(kept, renamed.resolveSibling("kept.old"));
            try (FileChannel ch = FileChannel.open(kept, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            go.countDown();
            write(kept, utf8("k 4\n"));
            assertThat(r.lines(3, WAIT)).containsExactly("k 2", "k 3", "k 4");
            r.quietFor(Duration.ofMillis(150));
            assertThat(r.counter("caravan_logs_lost", "name", "kept", "reason", "truncated")).isZero();
        }
    }
}
