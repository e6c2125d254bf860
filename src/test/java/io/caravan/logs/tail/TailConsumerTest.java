package io.caravan.logs.tail;

import io.caravan.component.ComponentStatus;
import io.caravan.logs.LogRoute;
import io.caravan.component.ComponentStatus;
import io.caravan.model.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TailConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    String uri(String name, Path path, String extra) {
        return "tail:" + name + "?path=RAW(" + path + ")&pollInterval=10ms&scanInterval=50ms&retryInterval=20ms&dataDir="
                + dir.resolve("data") + extra;
    }

    static void append(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String numbered(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("line ").append(i).append('\n');
        }
        return sb.toString();
    }

    static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
    }

    @Test
    void startsAtTheBeginningWithLabelsAndFilename() throws Exception {
        Path f = dir.resolve("audit.log");
        append(f, numbered(0, 3));
        try (LogRoute r = new LogRoute(uri("audit", f, "&labels=job=kube-audit,source=audit")).start()) {
            List<LogEntry> got = r.entries(3, WAIT);
            assertThat(got).extracting(LogEntry::line).containsExactlyElementsOf(expected(0, 3));
            assertThat(got.get(0).labels().toMap())
                    .containsEntry("job", "kube-audit").containsEntry("source", "audit").containsEntry("filename", f.toString());
            assertThat(got.get(1).timestampNanos()).isGreaterThan(got.get(0).timestampNanos()); // equal lines stay distinct in Loki
            r.quietFor(Duration.ofMillis(100));
            assertThat(r.counter("caravan_logs_lines_read", "source", "tail", "name", "audit")).isEqualTo(3);
        }
    }

    @Test
    void startAtEndSkipsWhatIsThereAndKeepsThatAcrossARestart() throws Exception {
        Path f = dir.resolve("app.log");
        append(f, numbered(0, 5));
        try (LogRoute r = new LogRoute(uri("app", f, "&start=end")).start()) {
            r.quietFor(Duration.ofMillis(150));
            append(f, numbered(5, 7));
            assertThat(r.lines(2, WAIT)).containsExactlyElementsOf(expected(5, 7));
        }
        append(f, numbered(7, 8)); // written while stopped: read after the restart, the start option no longer applies
        try (LogRoute r = new LogRoute(uri("app", f, "&start=end")).start()) {
            assertThat(r.lines(1, WAIT)).containsExactly("line 7");
        }
    }

    @Test
    void aLastLineWithoutNewlineWaitsUntilItIsComplete() throws Exception {
        Path f = dir.resolve("app.log");
        append(f, "first\nsecond, half");
        try (LogRoute r = new LogRoute(uri("app", f, "")).start()) {
            assertThat(r.lines(1, WAIT)).containsExactly("first");
            r.quietFor(Duration.ofMillis(150));
            append(f, " and the rest\r\nthird\n");
            assertThat(r.lines(2, WAIT)).containsExactly("second, half and the rest", "third");
        }
    }

    @Test
    void fileThatAppearsLaterIsReadFromItsBeginningEvenWithStartAtEnd() throws Exception {
        Path f = dir.resolve("later.log");
        Path g = dir.resolve("glob").resolve("b.log");
        Files.createDirectories(g.getParent());
        append(dir.resolve("glob").resolve("a.log"), "old a\n");
        try (LogRoute r = new LogRoute(uri("later", f, "&start=end"),
                uri("glob", dir.resolve("glob").resolve("*.log"), "&start=end")).start()) {
            r.quietFor(Duration.ofMillis(150));
            append(f, numbered(0, 2));
            append(g, "new b\n");
            assertThat(r.lines(3, WAIT)).containsExactlyInAnyOrder("line 0", "line 1", "new b");
        }
    }

    /**
     * A writer renames the file and creates a new one every 2,000 lines, writing a few lines to the renamed file
     * before it reopens (as a real logger does): every line arrives, once, in order. Lines are written as fast as
     * the writer can; rotations wait until the reader has reached the current file, because a file that is created
     * and rotated away again between two looks at the path is never seen (at most one rotation per pollInterval;
     * Promtail and Alloy share that limit, and kubelet and logrotate rotate seconds apart at the very least).
     */
    @Test
    void renameAndCreateRotationAtHighRateLosesAndDuplicatesNothing() throws Exception {
        Path f = dir.resolve("busy.log");
        int total = 40_000;
        append(f, "");
        AtomicInteger received = new AtomicInteger();
        try (LogRoute r = new LogRoute(batch -> received.addAndGet(batch.size()), uri("busy", f, "&batchLines=500")).start()) {
            Thread writer = new Thread(() -> {
                try {
                    var out = Files.newOutputStream(f, StandardOpenOption.APPEND);
                    int rotation = 0;
                    int beforeThisFile = 0;
                    for (int i = 0; i < total; i++) {
                        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        if (i % 2000 == 1999) {
                            int firstOfThisFile = beforeThisFile;
                            LogRoute.await(() -> received.get() > firstOfThisFile, WAIT); // the reader is in this file
                            Files.move(f, dir.resolve("busy.log." + rotation++));
                            for (int k = 0; k < 3 && i + 1 < total; k++) { // the logger has not reopened yet
                                i++;
                                out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                            }
                            out.close();
                            beforeThisFile = i + 1;
                            out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);
                        }
                    }
                    out.close();
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            List<String> got = r.lines(total, Duration.ofSeconds(60));
            writer.join();
            assertThat(got).containsExactlyElementsOf(expected(0, total));
            r.quietFor(Duration.ofMillis(200));
            assertThat(r.counter("caravan_logs_rotations", "name", "busy")).isEqualTo(total / 2000);
        }
    }

    /**
     * Copy-truncate: lines written after the reader's last read and before the truncate are only in the copy; that
     * window is inherent (Promtail and Alloy have it too). Here the copy is taken once the reader has caught up, and
     * the writer goes on after the truncate has been seen, so nothing may be lost and nothing read twice.
     */
    @Test
    void copyTruncateRotationReadsTheFileAgainFromTheStart() throws Exception {
        Path f = dir.resolve("ct.log");
        append(f, "");
        try (LogRoute r = new LogRoute(uri("ct", f, "")).start()) {
            List<String> got = new ArrayList<>();
            int n = 0;
            for (int round = 0; round < 5; round++) {
                append(f, numbered(n, n + 300));
                got.addAll(r.lines(300, WAIT));
                n += 300;
                Files.copy(f, dir.resolve("ct.log." + round), StandardCopyOption.REPLACE_EXISTING);
                try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                int seen = round + 1;
                LogRoute.await(() -> r.counter("caravan_logs_truncations", "name", "ct") >= seen, WAIT);
            }
            assertThat(got).containsExactlyElementsOf(expected(0, n));
        }
    }

    @Test
    void fileReplacedInPlaceByAMoveOrARewriteIsReadAfresh() throws Exception {
        Path f = dir.resolve("conf.log");
        append(f, "v1 a\nv1 b\n");
        try (LogRoute r = new LogRoute(uri("conf", f, "")).start()) {
            assertThat(r.lines(2, WAIT)).containsExactly("v1 a", "v1 b");
            Path tmp = dir.resolve("conf.log.tmp");
            append(tmp, "v2 only\n");
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(r.lines(1, WAIT)).containsExactly("v2 only");
            Files.writeString(f, "v3\n"); // same file, rewritten shorter
            assertThat(r.lines(1, WAIT)).containsExactly("v3");
            r.quietFor(Duration.ofMillis(150));
        }
    }

    /**
     * kill -9 in the middle: the route has received a batch but not returned when the process dies. The positions
     * file at that moment is copied, and a new context starts from the copy: the union is complete and at most that
     * one batch comes twice.
     */
    @Test
    void restartAfterACrashResumesAtTheStoredPosition() throws Exception {
        Path f = dir.resolve("crash.log");
        int total = 10_000;
        append(f, numbered(0, total));
        Path crashData = dir.resolve("after-crash");
        List<String> inFlight = new ArrayList<>();
        AtomicInteger batchNo = new AtomicInteger();
        CountDownLatch crashed = new CountDownLatch(1);
        LogRoute r1 = new LogRoute(batch -> {
            if (batchNo.incrementAndGet() == 4) {
                synchronized (inFlight) {
                    batch.forEach(e -> inFlight.add(e.line())); // the sink got it...
                }
                copyTree(dir.resolve("data"), crashData);   // ...and the process dies before the route returns
                crashed.countDown();
                Thread.sleep(60_000);
            }
        }, uri("crash", f, "&batchLines=1000"));
        r1.start();
        assertThat(crashed.await(10, TimeUnit.SECONDS)).isTrue();
        List<String> first = new ArrayList<>();
        for (List<LogEntry> b : r1.batches) {
            b.forEach(e -> first.add(e.line()));
        }
        synchronized (inFlight) {
            first.addAll(inFlight);
        }
        new Thread(r1::close).start(); // the stuck route is abandoned, as the dead process would be
        assertThat(first).hasSize(4000);

        try (LogRoute r2 = new LogRoute("tail:crash?path=RAW(" + f + ")&pollInterval=10ms&batchLines=1000&dataDir=" + crashData).start()) {
            List<String> second = r2.lines(total - 3000, WAIT);
            assertThat(second.get(0)).isEqualTo("line 3000"); // only the unacknowledged batch again
            List<String> union = new ArrayList<>(first);
            union.addAll(second);
            assertThat(union.stream().distinct().toList()).containsExactlyElementsOf(expected(0, total));
            assertThat(union.size() - total).isLessThanOrEqualTo(1000);
        }
    }

    /** Rotated while the agent was down: the rest of the old file is found by its identity and read first. */
    @Test
    void rotationWhileStoppedFinishesTheRenamedFileFirst() throws Exception {
        Path f = dir.resolve("rot.log");
        append(f, numbered(0, 3));
        try (LogRoute r = new LogRoute(uri("rot", f, "")).start()) {
            assertThat(r.lines(3, WAIT)).containsExactlyElementsOf(expected(0, 3));
        }
        append(f, numbered(3, 5));
        Files.move(f, dir.resolve("rot.log.1"));
        append(f, numbered(5, 7));
        try (LogRoute r = new LogRoute(uri("rot", f, "")).start()) {
            assertThat(r.lines(4, WAIT)).containsExactlyElementsOf(expected(3, 7));
            r.quietFor(Duration.ofMillis(100));
        }
    }

    /**
     * Stored positions of files the path no longer names at start-up (a narrower glob; a file renamed out of the
     * glob while the agent was away) are finished: each file's rest arrives once, then its position is forgotten.
     */
    @Test
    void filesWithAStoredPositionThatThePathNoLongerNamesAreReadToTheirEndThenForgotten() throws Exception {
        Path g = Files.createDirectories(dir.resolve("g"));
        for (String n : List.of("a", "b", "c")) {
            append(g.resolve(n + ".log"), n + " 0\n");
        }
        try (LogRoute r = new LogRoute(uri("g", g.resolve("*.log"), "")).start()) {
            assertThat(r.lines(3, WAIT)).containsExactlyInAnyOrder("a 0", "b 0", "c 0");
            r.quietFor(Duration.ofMillis(100));
        }
        append(g.resolve("a.log"), "a 1\n");
        append(g.resolve("b.log"), "b 1\n");
        Files.move(g.resolve("b.log"), g.resolve("b.log.old"));
        append(g.resolve("c.log"), "c 1\nc 2\n");
        try (LogRoute r = new LogRoute(uri("g", g.resolve("a*.log"), "")).start()) {
            assertThat(r.lines(4, WAIT)).containsExactlyInAnyOrder("a 1", "b 1", "c 1", "c 2");
            LogRoute.await(() -> !read(positions("g")).contains("b.log") && !read(positions("g")).contains("c.log"), WAIT);
            assertThat(read(positions("g"))).contains(g.resolve("a.log").toString());
            append(g.resolve("c.log"), "c 3\n"); // no longer followed
            append(g.resolve("a.log"), "a 2\n");
            assertThat(r.lines(1, WAIT)).containsExactly("a 2");
            r.quietFor(Duration.ofMillis(150));
            assertThat(r.camel.getComponent("tail", TailComponent.class).statuses().get(0).items()).hasSize(1);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void aFailingRouteDoesNotMoveThePosition() throws Exception {
        Path f = dir.resolve("fail.log");
        append(f, numbered(0, 10));
        AtomicInteger failures = new AtomicInteger();
        try (LogRoute r = new LogRoute(batch -> {
            if (failures.incrementAndGet() <= 3) {
                throw new IllegalStateException("sink down");
            }
        }, uri("fail", f, "")).start()) {
            assertThat(r.lines(10, WAIT)).containsExactlyElementsOf(expected(0, 10));
            assertThat(failures.get()).isEqualTo(4);
            assertThat(r.counter("caravan_logs_errors", "name", "fail", "reason", "route_failed")).isEqualTo(1);
            long size = Files.size(f);
            LogRoute.await(() -> read(positions("fail")).contains("\"offset\":" + size), WAIT);
        }
        // failed attempts never reached the positions: a second failure sequence from scratch shows the offset stayed
        Path g = dir.resolve("fail2.log");
        append(g, numbered(0, 3));
        try (LogRoute r = new LogRoute(batch -> {
            throw new IllegalStateException("sink down");
        }, uri("fail2", g, "")).start()) {
            LogRoute.await(() -> r.counter("caravan_logs_errors", "name", "fail2", "reason", "route_failed") == 1, WAIT);
            Thread.sleep(100);
            assertThat(read(positions("fail2"))).contains("\"offset\":0").doesNotContain("\"offset\":" + Files.size(g));
            ComponentStatus s = r.camel.getComponent("tail", TailComponent.class).statuses().get(0);
            assertThat(s.items().get(0).lastError()).contains("sink down").contains(g.toString());
            assertThat(s.items().get(0).details().get("lagBytes")).isEqualTo(Files.size(g));
        }
    }

    Path positions(String name) {
        return dir.resolve("data").resolve("positions").resolve("tail-" + name + ".jsonl");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void corruptPositionsCostOnlyTheDamagedEntries() throws Exception {
        Path a = dir.resolve("g").resolve("a.log");
        Path b = dir.resolve("g").resolve("b.log");
        Path c = dir.resolve("g").resolve("c.log");
        Files.createDirectories(a.getParent());
        for (Path p : List.of(a, b, c)) {
            append(p, numbered(0, 10));
        }
        long half = numbered(0, 5).length();
        Files.createDirectories(positions("g").getParent());
        String good = "{\"key\":\"" + b + "\",\"file\":\"" + b + "\",\"fileKey\":\"" + key(b) + "\",\"offset\":" + half + "}\n";
        String nul = "\0\0\0\0\0\0\0\0\0\0\0\0\n"; // what a.log's line looked like after a power cut
        String cut = "{\"key\":\"" + c + "\",\"file\":\"" + c + "\",\"fileK"; // truncated JSON
        Files.writeString(positions("g"), nul + good + cut);
        try (LogRoute r = new LogRoute(uri("g", dir.resolve("g").resolve("*.log"), "")).start()) {
            List<LogEntry> got = r.entries(25, WAIT);
            assertThat(lines(got, a)).containsExactlyElementsOf(expected(0, 10));
            assertThat(lines(got, b)).containsExactlyElementsOf(expected(5, 10));
            assertThat(lines(got, c)).containsExactlyElementsOf(expected(0, 10));
            r.quietFor(Duration.ofMillis(100));
            assertThat(r.counter("caravan_logs_errors", "name", "g", "reason", "positions_corrupt")).isEqualTo(1);
        }
        assertThat(read(positions("g"))).doesNotContain("\0").contains("\"offset\":" + Files.size(a));
    }

    static List<String> lines(List<LogEntry> entries, Path file) {
        return entries.stream().filter(e -> file.toString().equals(e.labels().get("filename"))).map(LogEntry::line).toList();
    }

    static String key(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey().toString();
    }

    @Test
    void aDirectoryOrASymlinkLoopIsReportedOnceAndHarmsNoOtherFile() throws Exception {
        Path notAFile = dir.resolve("x.log");
        Files.createDirectories(notAFile);
        Path loop1 = dir.resolve("loop1.log");
        Path loop2 = dir.resolve("loop2.log");
        Files.createSymbolicLink(loop1, loop2);
        Files.createSymbolicLink(loop2, loop1);
        Path ok = dir.resolve("ok.log");
        append(ok, "fine\n");
        try (LogRoute r = new LogRoute(uri("dir", notAFile, ""), uri("loop", loop1, ""), uri("ok", ok, "")).start()) {
            assertThat(r.lines(1, WAIT)).containsExactly("fine");
            LogRoute.await(() -> r.counter("caravan_logs_errors", "name", "loop", "reason", "unreadable") == 1, WAIT);
            Thread.sleep(100); // many polls: still counted once
            assertThat(r.counter("caravan_logs_errors", "name", "dir", "reason", "not_a_file")).isEqualTo(1);
            assertThat(r.counter("caravan_logs_errors", "name", "loop", "reason", "unreadable")).isEqualTo(1);
            List<ComponentStatus> statuses = r.camel.getComponent("tail", TailComponent.class).statuses();
            assertThat(statuses).hasSize(3);
            assertThat(statuses.stream().filter(s -> s.uri().startsWith("tail://dir")).findFirst().orElseThrow()
                    .items().get(0).lastError()).contains("is a directory").contains(notAFile.toString());

            Files.delete(notAFile); // fixed: the file is read
            append(notAFile, "now a file\n");
            append(ok, "still fine\n");
            assertThat(r.lines(2, WAIT)).containsExactlyInAnyOrder("now a file", "still fine");
        }
    }

    @Test
    void theStatusListsEachFileAndIsDegradedWhileOneCannotBeRead() throws Exception {
        Path ok = dir.resolve("ok.log");
        append(ok, "fine\nfine too\n");
        Path loop = dir.resolve("loop.log");
        Files.createSymbolicLink(loop, loop); // matched by the glob, unreadable (even for root)
        try (LogRoute r = new LogRoute(uri("two", dir.resolve("*.log"), "&labels=job=app")).start()) {
            assertThat(r.lines(2, WAIT)).containsExactly("fine", "fine too");
            TailComponent tail = r.camel.getComponent("tail", TailComponent.class);
            LogRoute.await(() -> tail.statuses().get(0).health() == ComponentStatus.Health.DEGRADED
                    && item(tail.statuses().get(0), ok).details().get("position").equals(14L), WAIT);

            ComponentStatus s = tail.statuses().get(0);
            assertThat(s.component()).isEqualTo("tail");
            assertThat(s.name()).isEqualTo("two");
            assertThat(s.uri()).startsWith("tail://two");
            assertThat(s.state()).isEqualTo("following");
            assertThat(s.items()).extracting(ComponentStatus.Item::id).containsExactlyInAnyOrder(ok.toString(), loop.toString());
            ComponentStatus.Item okItem = item(s, ok);
            assertThat(okItem.lastError()).isNull();
            assertThat(okItem.labels()).containsEntry("job", "app").containsEntry("filename", ok.toString());
            assertThat(okItem.details()).containsEntry("size", 14L).containsEntry("lagBytes", 0L).containsEntry("linesRead", 2L);
            ComponentStatus.Item loopItem = item(s, loop);
            assertThat(loopItem.state()).startsWith("error");
            assertThat(loopItem.lastError()).contains(loop.toString());
            assertThat(s.lastError()).isEqualTo(loopItem.lastError());
            assertThat(s.lastErrorAt()).isNotNull();
            assertThat(s.details()).containsEntry("files", 2).containsEntry("lagBytes", 0L)
                    .containsEntry("positionsFile", dir.resolve("data/positions/tail-two.jsonl").toString());

            Files.delete(loop); // fixed: read, and the endpoint is healthy again
            append(loop, "readable now\n");
            assertThat(r.lines(1, WAIT)).containsExactly("readable now");
            LogRoute.await(() -> tail.statuses().get(0).health() == ComponentStatus.Health.UP, WAIT);
            assertThat(tail.statuses().get(0).lastError()).isNull();
        }
    }

    static ComponentStatus.Item item(ComponentStatus s, Path file) {
        return s.items().stream().filter(i -> i.id().equals(file.toString())).findFirst().orElseThrow();
    }

    @Test
    void aFileReplacedByADirectoryIsReportedOnceAndFollowedAgainWhenItIsBack() throws Exception {
        Path f = dir.resolve("flip.log");
        append(f, "before\n");
        try (LogRoute r = new LogRoute(uri("flip", f, "")).start()) {
            assertThat(r.lines(1, WAIT)).containsExactly("before");
            Files.delete(f);
            Files.createDirectory(f);
            LogRoute.await(() -> r.counter("caravan_logs_errors", "name", "flip", "reason", "not_a_file") == 1, WAIT);
            Thread.sleep(100);
            assertThat(r.counter("caravan_logs_errors", "name", "flip", "reason", "not_a_file")).isEqualTo(1);
            Files.delete(f);
            append(f, "after\n");
            assertThat(r.lines(1, WAIT)).containsExactly("after");
            LogRoute.await(() -> r.camel.getComponent("tail", TailComponent.class).statuses().get(0).items().get(0)
                    .lastError() == null, WAIT);
        }
    }

    @Test
    void hugeLinesAreCutAndInvalidUtf8IsReplacedBothCounted() throws Exception {
        Path f = dir.resolve("big.log");
        byte[] huge = new byte[5 << 20];
        java.util.Arrays.fill(huge, (byte) 'x');
        huge[(1 << 20) - 1] = (byte) 0xc3; // a two-byte character across the cut: it is not split
        huge[1 << 20] = (byte) 0xa9;
        try (var out = Files.newOutputStream(f)) {
            out.write(huge);
            out.write('\n');
            out.write(new byte[]{'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 0, 1, 2, '\n'});
            out.write("after\n".getBytes(StandardCharsets.UTF_8));
        }
        try (LogRoute r = new LogRoute(uri("big", f, "")).start()) {
            List<String> got = r.lines(3, WAIT);
            assertThat(got.get(0)).hasSize((1 << 20) - 1).matches("x+");
            assertThat(got.get(1)).isEqualTo("bad \uFFFD\uFFFD \0\1\2");
            assertThat(got.get(2)).isEqualTo("after");
            assertThat(r.counter("caravan_logs_lines_truncated", "name", "big")).isEqualTo(1);
            assertThat(r.counter("caravan_logs_invalid_utf8_lines", "name", "big")).isEqualTo(1);
            assertThat(r.counter("caravan_logs_bytes_read", "name", "big")).isEqualTo(Files.size(f));
        }
    }

    @Test
    void aSlowFileDoesNotHoldUpTheOthers() throws Exception {
        Path slow = dir.resolve("s").resolve("slow.log");
        Path fast = dir.resolve("s").resolve("fast.log");
        Files.createDirectories(slow.getParent());
        append(slow, "slow 1\n");
        CountDownLatch release = new CountDownLatch(1);
        try (LogRoute r = new LogRoute(batch -> {
            if (batch.get(0).line().startsWith("slow")) {
                release.await(); // the route is stuck on this file's batch
            }
        }, uri("s", dir.resolve("s").resolve("*.log"), "")).start()) {
            Thread.sleep(100);
            for (int i = 0; i < 3; i++) {
                append(fast, "fast " + i + "\n");
                assertThat(r.lines(1, WAIT)).containsExactly("fast " + i);
            }
            release.countDown();
            assertThat(r.lines(1, WAIT)).containsExactly("slow 1");
        }
    }

    @Test
    void badOptionsFailWithTheUri() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogRoute("tail:x?start=middle&path=/tmp/a").start())
                .hasStackTraceContaining("start must be beginning or end");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogRoute("tail:x").start())
                .hasStackTraceContaining("the path option is required");
    }
}
