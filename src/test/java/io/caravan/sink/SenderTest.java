package io.caravan.sink;

import com.sun.net.httpserver.HttpServer;
import io.caravan.wal.SegmentLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import io.caravan.http.HttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared sender loop on a toy sink (one line per entry, a batch is the lines joined): acknowledge only
 * what is settled, drain on stop, no flush wait while the receiver fails, stop without interrupting, and
 * inherited logs first.
 */
class SenderTest {

    static final SegmentLog.Codec<String> LINES = (b, off, len, count) -> {
        List<String> out = new ArrayList<>();
        for (String s : new String(b, off, len, StandardCharsets.UTF_8).split("\n", -1)) {
            out.add(s);
        }
        if (out.size() != count) {
            throw new IllegalArgumentException("record holds " + out.size() + " lines, not " + count);
        }
        return out;
    };

    /** Batches of up to 100 lines, or what came within the deadline (10s unless told): only a drain sends sooner. */
    static final class LineBatches implements Sender.Batches<String, LineBatches.Batch> {
        final long deadlineMs;

        LineBatches(long deadlineMs) {
            this.deadlineMs = deadlineMs;
        }

        record Batch(List<String> lines, SegmentLog.Position end) implements Sender.Batch {
            @Override
            public int entries() {
                return lines.size();
            }

            @Override
            public int skipped() {
                return 0;
            }
        }

        @Override
        public Batch fill(SegmentLog<String> log, boolean inherited, Sender<String, Batch> sender) throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>();
            long firstAt = 0;
            while (sender.running() && lines.size() < 100) {
                String s = log.peek();
                if (s == null) {
                    if (inherited) {
                        break;
                    }
                    long wait = lines.isEmpty() ? 100 : sender.draining() ? 0 : firstAt + deadlineMs - System.currentTimeMillis();
                    if (wait <= 0) {
                        break;
                    }
                    log.awaitAppend(Math.min(wait, 100));
                    continue;
                }
                log.advance();
                lines.add(s);
                if (firstAt == 0) {
                    firstAt = System.currentTimeMillis();
                }
            }
            return new Batch(lines, log.position());
        }

        @Override
        public int send(Batch batch, Sender<String, Batch> sender) throws InterruptedException {
            byte[] body = String.join("\n", batch.lines()).getBytes(StandardCharsets.UTF_8);
            PushClient.Outcome o = sender.deliver(body, 0, body.length, batch.entries());
            if (o == null) {
                return batch.entries();
            }
            sender.settle(batch.entries(), o);
            return 0;
        }
    }

    static final class Counts implements SinkMetrics {
        final Map<String, Long> counts = new ConcurrentHashMap<>();
        final LedgerGate gate = new LedgerGate();

        @Override
        public LedgerGate gate() {
            return gate;
        }

        @Override
        public void request(long nanos, PushClient.Outcome outcome, int bodyBytes) {
            counts.merge("requests", 1L, Long::sum);
        }

        @Override
        public void sent(long entries) {
            counts.merge("sent", entries, Long::sum);
        }

        @Override
        public void retried(long entries) {
            counts.merge("retried", entries, Long::sum);
        }

        @Override
        public void dropped(String reason, long entries) {
            counts.merge("dropped " + reason, entries, Long::sum);
        }

        @Override
        public void overLimit(long entries) {
            dropped("full", entries);
        }

        @Override
        public void corrupt(long bytes) {
        }
    }

    @TempDir
    Path dir;
    HttpServer server;
    volatile IntUnaryOperator answer = n -> 204;
    final List<String> received = new CopyOnWriteArrayList<>();
    final Counts metrics = new Counts();
    final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.applyAsInt(n.incrementAndGet());
            if (status / 100 == 2) {
                received.addAll(List.of(body.split("\n")));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    SegmentLog<String> log(String sub) throws IOException {
        return new SegmentLog<>("test " + sub, dir.resolve(sub), 64 * 1024, 16 << 20, 0, LINES, metrics);
    }

    Sender<String, LineBatches.Batch> sender(SegmentLog<String> log) {
        return sender(log, 10_000);
    }

    Sender<String, LineBatches.Batch> sender(SegmentLog<String> log, long deadlineMs) {
        PushClient client = new PushClient(HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Map.of(), null, false);
        return new Sender<>("test sink", "lines", log, client, new LineBatches(deadlineMs), metrics, 20, 200);
    }

    static void append(SegmentLog<String> log, String... lines) throws IOException {
        byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        log.append(lines.length, out -> out.raw(b, 0, b.length));
    }

    @Test
    void a_stop_sends_what_is_queued_without_waiting_for_the_batch_deadline() throws Exception {
        SegmentLog<String> log = log("drain");
        Sender<String, LineBatches.Batch> s = sender(log);
        threads.submit(s);
        append(log, "a", "b", "c");
        Thread.sleep(200); // in a batch that would wait 10s for more
        long t0 = System.nanoTime();
        Sender.stopAll(List.of(s), 5_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        assertThat(received).containsExactly("a", "b", "c");
        assertThat(log.pendingEntries()).as("acknowledged").isZero();
        assertThat(s.state()).isEqualTo("stopped");
        log.close();
    }

    @Test
    void a_stop_while_the_receiver_fails_skips_the_flush_and_keeps_everything_on_disk() throws Exception {
        answer = n -> 503;
        SegmentLog<String> log = log("failing");
        Sender<String, LineBatches.Batch> s = sender(log, 0);
        threads.submit(s);
        append(log, "x", "y");
        long deadline = System.currentTimeMillis() + 5_000;
        while (!"retrying".equals(s.state()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.lastError()).startsWith("HTTP 503 from http://127.0.0.1:");
        long t0 = System.nanoTime();
        Sender.stopAll(List.of(s), 10_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("no flush wait while every sender backs off").isLessThan(2_000);
        append(log, "z"); // not interrupted: the log's channels are still open
        assertThat(log.pendingEntries()).isEqualTo(3);
        log.close();
        try (SegmentLog<String> again = log("failing")) {
            assertThat(again.pendingEntries()).as("nothing acknowledged that the receiver did not take").isEqualTo(3);
        }
        assertThat(metrics.counts.get("retried")).isGreaterThanOrEqualTo(2);
        assertThat(received).isEmpty();
    }

    @Test
    void a_batch_the_receiver_refuses_for_good_is_counted_by_status_and_acknowledged() throws Exception {
        answer = n -> n == 1 ? 401 : 204;
        SegmentLog<String> log = log("refused");
        Sender<String, LineBatches.Batch> s = sender(log);
        threads.submit(s);
        append(log, "one", "two");
        Sender.stopAll(List.of(s), 5_000);
        assertThat(metrics.counts).containsEntry("dropped http_401", 2L);
        assertThat(log.pendingEntries()).isZero();
        assertThat(s.lastError()).startsWith("HTTP 401");
        log.close();
    }

    @Test
    void an_inherited_log_is_sent_first_then_removed() throws Exception {
        SegmentLog<String> old = log("old");
        append(old, "old-1", "old-2");
        SegmentLog<String> own = log("own");
        append(own, "new-1");
        Sender<String, LineBatches.Batch> s = sender(own);
        s.inherit(old);
        assertThat(s.pending()).isEqualTo(3);
        threads.submit(s);
        long deadline = System.currentTimeMillis() + 5_000;
        while (received.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Sender.stopAll(List.of(s), 5_000);
        s.closeLogs();
        assertThat(received).containsExactly("old-1", "old-2", "new-1");
        assertThat(dir.resolve("old")).doesNotExist();
    }
}
