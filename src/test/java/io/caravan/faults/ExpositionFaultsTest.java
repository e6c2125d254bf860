package io.caravan.faults;

import com.sun.net.httpserver.HttpServer;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.scrape.ScrapeComponent;
import io.caravan.scrape.ScrapeConsumer;
import io.caravan.scrape.TargetHealth;
import io.caravan.testing.FakeTarget;
import io.caravan.testing.RecordingReceiver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad exposition bodies, each from one target of a job whose other target is healthy: the bad target gets up=0,
 * a counted failure with its reason and a message naming its URL and what to do; the good one's samples all arrive.
 * Runs the real scrape: component (static-targets: -> scrape: -> a route) against targets on 127.0.0.1.
 * Parser-level cases (every malformed line, with its line number) are in scrape/parse/MalformedInputTest.
 */
@Tag("fault")
class ExpositionFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The healthy neighbour's body: exactly these three series every scrape. */
    private static final String GOOD = "# TYPE good_total counter\ngood_total 1\ngood_gauge{a=\"x\"} 2\ngood_gauge{a=\"y\"} 3\n";
    private static final int REPORT_SERIES = 5; // up, scrape_duration_seconds, _samples_scraped, _post_metric_relabeling, _series_added

    /** One scrape as the route saw it, with the scrape counters at the moment it arrived. */
    record Scrape(String instance, List<Sample> samples, Map<String, Double> counters) {
        double value(String name) {
            return samples.stream().filter(s -> s.metricName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not in " + samples)).value();
        }

        List<Sample> exposed() {
            return samples.stream().filter(s -> !s.metricName().equals("up") && !s.metricName().startsWith("scrape_")).toList();
        }
    }

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final BlockingQueue<Scrape> scrapes = new LinkedBlockingQueue<>();
    private DefaultCamelContext camel;

    @AfterEach
    void tearDown() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FakeTarget good() throws IOException {
        FakeTarget t = new FakeTarget("/metrics", n -> GOOD);
        closing.add(t);
        return t;
    }

    /** static-targets:faults with the given addresses into scrape:faults with the options, into the queue. */
    private void start(String options, String... addresses) throws Exception {
        startWithReceiver(options, null, addresses);
    }

    private void startWithReceiver(String options, String remoteWriteUrl, String... addresses) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("meters", meters);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("static-targets:faults?addresses=" + String.join(",", addresses)).to("scrape:faults?" + options);
                var samples = from("scrape:faults").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<Sample> body = e.getMessage().getMandatoryBody(List.class);
                    scrapes.add(new Scrape(e.getMessage().getHeader(ScrapeConsumer.HEADER_INSTANCE, String.class),
                            List.copyOf(body), counters()));
                });
                if (remoteWriteUrl != null) {
                    samples.to("remote-write:faults?url=" + remoteWriteUrl + "&batchSendDeadline=50ms&shards=1");
                }
            }
        });
        camel.start();
    }

    private Map<String, Double> counters() {
        Map<String, Double> out = new HashMap<>();
        for (Counter c : meters.find("caravan_scrape_failures").counters()) {
            out.put("failures:" + c.getId().getTag("reason"), c.count());
        }
        for (Counter c : meters.find("caravan_scrape_samples_dropped").counters()) {
            out.put("dropped:" + c.getId().getTag("reason"), c.count());
        }
        return out;
    }

    /** The next scrape of {@code instance}, skipping the other target's. */
    private Scrape next(String instance) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Scrape s = left <= 0 ? null : scrapes.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no scrape of " + instance + " within " + WAIT);
            }
            if (instance.equals(s.instance())) {
                return s;
            }
        }
    }

    private TargetHealth health(String address) {
        return camel.getComponent("scrape", ScrapeComponent.class).jobs().get(0).targets().stream()
                .filter(h -> h.target().url().toString().contains(address)).findFirst().orElseThrow();
    }

    /** The good neighbour's scrape: all of its three series, each once, and up=1. */
    private static void assertGood(Scrape s) {
        assertThat(s.value("up")).isEqualTo(1);
        assertThat(s.exposed()).extracting(Sample::metricName).containsExactlyInAnyOrder("good_total", "good_gauge", "good_gauge");
        assertThat(s.samples()).hasSize(3 + REPORT_SERIES);
        assertThat(s.value("scrape_samples_scraped")).isEqualTo(3);
    }

    /** A failed scrape: up=0 and nothing of its body, the failure counted once per scrape with its reason. */
    private void assertFailed(Scrape s, int nthFailure, String reason) {
        assertThat(s.value("up")).isZero();
        assertThat(s.exposed()).as("a failed scrape passes on none of its body").isEmpty();
        assertThat(s.value("scrape_samples_scraped")).isZero();
        assertThat(s.counters()).containsEntry("failures:" + reason, (double) nthFailure);
        assertThat(s.counters().keySet()).as("no other failure reason counted").allMatch(k -> !k.startsWith("failures:") || k.equals("failures:" + reason));
    }

    /** The WARN line names the job and the target's URL; logged once, not on every failed scrape. */
    private static void assertLoggedOnce(LogCapture log, String address, String... words) {
        List<String> lines = log.warnings().stream().filter(l -> l.contains(address)).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("scrape:faults http://" + address + "/metrics failed (up=0): ").contains(words);
    }

    @Test
    void malformedLinesFailTheirTargetAtTheirLineAndTheNeighbourFlows() throws Exception {
        // The parser's reason and line for every kind of malformed line: scrape/parse/MalformedInputTest.
        // That the failed scrape keeps nothing of its body: ScrapeJobTest.aMalformedBodyIsDownWithTheParsersReason.
        FakeTarget bad = new FakeTarget("/metrics", n -> "ok 1\nok_too 2\nbroken{le=\"unterminated 3\n");
        closing.add(bad);
        FakeTarget good = good();
        try (LogCapture log = new LogCapture(Class.forName("io.caravan.scrape.ScrapeLoop"))) {
            start("interval=1s&timeout=900ms", bad.address(), good.address());
            assertFailed(next(bad.address()), 1, "parse_error");
            assertFailed(next(bad.address()), 2, "parse_error");
            assertGood(next(good.address()));
            assertGood(next(good.address()));
            assertThat(health(bad.address()).lastError()).contains("line 3").contains("unterminated label value")
                    .contains("fix the exporter");
            assertLoggedOnce(log, bad.address(), "line 3");
        }
    }

    @Test
    void aDuplicateSeriesIsDroppedAndCountedAndTheRestOfTheScrapeKept() throws Exception {
        FakeTarget dup = new FakeTarget("/metrics", n -> "a 1\na 2\nb{x=\"1\"} 3\nb{x=\"1\"} 4\nb{x=\"2\"} 5\nc 6\n");
        closing.add(dup);
        start("interval=1s&timeout=900ms", dup.address());
        for (int i = 1; i <= 2; i++) {
            Scrape s = next(dup.address());
            assertThat(s.value("up")).isEqualTo(1);
            assertThat(s.exposed()).extracting(x -> x.labels().toString() + "=" + x.value()).containsExactlyInAnyOrder(
                    "{__name__=\"a\", instance=\"" + dup.address() + "\", job=\"faults\"}=1.0",
                    "{__name__=\"b\", instance=\"" + dup.address() + "\", job=\"faults\", x=\"1\"}=3.0",
                    "{__name__=\"b\", instance=\"" + dup.address() + "\", job=\"faults\", x=\"2\"}=5.0",
                    "{__name__=\"c\", instance=\"" + dup.address() + "\", job=\"faults\"}=6.0");
            assertThat(s.value("scrape_samples_scraped")).as("every line is a scraped sample").isEqualTo(6);
            assertThat(s.value("scrape_samples_post_metric_relabeling")).isEqualTo(4);
            assertThat(s.counters()).containsEntry("dropped:duplicate", 2.0 * i);
        }
    }

    @Test
    void labelValuesWithEveryEscapeArriveDecodedAtTheReceiver() throws Exception {
        // Text format 0.0.4: \\, \" and \n are escapes; any other backslash is kept as it is (Prometheus' lvalReplacer).
        String body = "esc{quote=\"say \\\"hi\\\"\",backslash=\"C:\\\\dir\",newline=\"one\\ntwo\",other=\"tab\\there\","
                + "utf8=\"grüße ✓ 名前\",empty=\"\",braces=\"{a=\\\"b\\\"},#\"} 1\n";
        FakeTarget esc = new FakeTarget("/metrics", n -> body);
        closing.add(esc);
        FakeTarget good = good();
        try (RecordingReceiver receiver = new RecordingReceiver(n -> RecordingReceiver.Answer.OK)) {
            startWithReceiver("interval=1s&timeout=900ms", receiver.url(), esc.address(), good.address());
            Scrape s = next(esc.address());
            assertThat(s.value("up")).isEqualTo(1);
            Labels want = Labels.of("__name__", "esc", "quote", "say \"hi\"", "backslash", "C:\\dir", "newline", "one\ntwo",
                    "other", "tab\\there", "utf8", "grüße ✓ 名前", "braces", "{a=\"b\"},#", "instance", esc.address(), "job", "faults");
            assertThat(s.exposed()).extracting(Sample::labels).containsExactly(want);
            assertGood(next(good.address()));
            // produced vs received: the receiver decodes exactly the labels the scrape produced (empty value = no label)
            await(() -> receiver.accepted().stream().anyMatch(x -> x.labels().equals(want)));
            await(() -> receiver.accepted().stream().filter(x -> x.metricName().startsWith("good_")).count() >= 3);
            assertThat(receiver.accepted().stream().filter(x -> x.metricName().equals("esc")).map(Sample::labels).distinct())
                    .containsExactly(want);
        }
    }

    @Test
    void invalidUtf8FailsTheScrapeWithItsLineAndTheNeighbourFlows() throws Exception {
        // Parser level: MalformedInputTest.invalidUtf8InLabelValue
        byte[] body = {'f', ' ', '0', '\n', 'f', '{', 'a', '=', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
        RawTarget bad = new RawTarget("text/plain; version=0.0.4", body);
        closing.add(bad);
        FakeTarget good = good();
        start("interval=1s&timeout=900ms", bad.address(), good.address());
        assertFailed(next(bad.address()), 1, "parse_error");
        assertGood(next(good.address()));
        assertThat(health(bad.address()).lastError()).contains("line 2").contains("invalid UTF-8");
    }

    @Test
    void aHundredMegabyteBodyStopsAtTheBodySizeLimitAndTheNeighbourFlows() throws Exception {
        long hundredMb = 100L << 20;
        StreamingTarget huge = new StreamingTarget(hundredMb, false);
        closing.add(huge);
        FakeTarget good = good();
        try (LogCapture log = new LogCapture(Class.forName("io.caravan.scrape.ScrapeLoop"))) {
            start("interval=3s&timeout=3s&bodySizeLimit=" + (4 << 20), huge.address(), good.address());
            assertFailed(next(huge.address()), 1, "body_size_limit");
            assertGood(next(good.address()));
            assertThat(health(huge.address()).lastError()).contains("4194304 bytes (bodySizeLimit)").contains("raise bodySizeLimit");
            assertLoggedOnce(log, huge.address(), "bodySizeLimit");
            await(() -> huge.hungUp.get());
            assertThat(huge.written.get()).as("the scraper hung up long before 100 MB").isLessThan(hundredMb / 2);
        }
    }

    /** The limit is on the uncompressed body, as Prometheus': 100 MB that gzip makes small is stopped too. */
    @Test
    void aGzipBodyThatInflatesToAHundredMegabytesStopsAtTheBodySizeLimit() throws Exception {
        StreamingTarget bomb = new StreamingTarget(100L << 20, true);
        closing.add(bomb);
        FakeTarget good = good();
        start("interval=5s&timeout=5s&bodySizeLimit=" + (4 << 20), bomb.address(), good.address());
        assertFailed(next(bomb.address()), 1, "body_size_limit");
        assertGood(next(good.address()));
    }

    @Test
    void aTargetThatTricklesBytesForeverIsCutAtTheTimeoutAndTheNeighbourFlows() throws Exception {
        TricklingTarget slow = new TricklingTarget();
        closing.add(slow);
        FakeTarget good = good();
        try (LogCapture log = new LogCapture(Class.forName("io.caravan.scrape.ScrapeLoop"))) {
            start("interval=2s&timeout=1s", slow.address(), good.address());
            assertFailed(next(slow.address()), 1, "timeout");
            assertFailed(next(slow.address()), 2, "timeout");
            assertGood(next(good.address()));
            assertGood(next(good.address()));
            assertThat(health(slow.address()).lastError()).contains("timed out after 1s").contains("raise timeout");
            assertLoggedOnce(log, slow.address(), "timed out");
            await(() -> slow.closedByScraper.get() >= 1);
        }
    }

    @Test
    void aTargetThatAnswersHtmlIsDownAsAWebPageAndTheNeighbourFlows() throws Exception {
        FakeTarget html = new FakeTarget("/metrics", n -> "<!DOCTYPE html>\n<html><body>Please log in</body></html>\n")
                .contentType("text/html; charset=utf-8");
        closing.add(html);
        FakeTarget good = good();
        start("interval=1s&timeout=900ms", html.address(), good.address());
        assertFailed(next(html.address()), 1, "not_metrics");
        assertGood(next(good.address()));
        assertThat(health(html.address()).lastError()).contains("text/html").contains("metricsPath");
    }

    @Test
    void moreSamplesThanSampleLimitDropTheWholeScrapeCountedAndTheNeighbourFlows() throws Exception {
        // up=0 and the sample_limit error: ScrapeJobTest.exceedingTheSampleLimitFailsTheScrape. Here: the counts.
        FakeTarget big = new FakeTarget("/metrics", n -> "a 1\nb 2\nc 3\nd 4\ne 5\n");
        closing.add(big);
        FakeTarget good = good(); // 3 samples: at the limit, kept
        start("interval=1s&timeout=900ms&sampleLimit=3", big.address(), good.address());
        for (int i = 1; i <= 2; i++) {
            Scrape s = next(big.address());
            assertFailed(s, i, "sample_limit");
            assertThat(s.counters()).containsEntry("dropped:sample_limit", 5.0 * i);
        }
        assertGood(next(good.address()));
        assertThat(health(big.address()).lastError()).contains("5 samples after relabeling, limit 3").contains("raise sampleLimit");
    }

    /** A cAdvisor-like page: the root cgroup's series carry a 2014 timestamp (a host clock once wrong), the others are current. */
    static String cadvisorLike(long nowMs) {
        String root = "{container=\"\",id=\"/\",image=\"\",name=\"\",namespace=\"\",pod=\"\"}";
        String app = "{container=\"app\",id=\"/kubepods/pod1/c1\",image=\"shop:1\",name=\"c1\",namespace=\"shop\",pod=\"checkout-1\"}";
        return "# TYPE container_cpu_usage_seconds_total counter\n"
                + "container_cpu_usage_seconds_total" + root + " 1234.5 1400000000000\n"
                + "container_cpu_usage_seconds_total" + app + " 12.5 " + (nowMs - 5_000) + "\n"
                + "# TYPE container_last_seen gauge\n"
                + "container_last_seen" + root + " 1.4e+09 1400000000000\n"
                + "container_last_seen" + app + " " + nowMs / 1000 + " " + (nowMs - 5_000) + "\n"
                + "# TYPE machine_cpu_cores gauge\n"
                + "machine_cpu_cores 4\n";
    }

    @Test
    void samplesWithTimestampsAReceiverRefusesAreDroppedAtScrapeTimeCountedAndTheNeighbourFlows() throws Exception {
        // Every case of the bounds (future, no age limit, honorTimestamps=false): ScrapeJobTest. Here: the job's counters and the log.
        FakeTarget cadvisor = new FakeTarget("/metrics", n -> cadvisorLike(System.currentTimeMillis()));
        closing.add(cadvisor);
        FakeTarget good = good();
        try (LogCapture log = new LogCapture(Class.forName("io.caravan.scrape.ScrapeLoop"))) {
            start("interval=1s&timeout=900ms", cadvisor.address(), good.address());
            for (int i = 1; i <= 2; i++) {
                Scrape s = next(cadvisor.address());
                assertThat(s.value("up")).isEqualTo(1);
                assertThat(s.exposed()).extracting(x -> x.metricName() + "/" + x.labels().getOrEmpty("pod")).containsExactlyInAnyOrder(
                        "container_cpu_usage_seconds_total/checkout-1", "container_last_seen/checkout-1", "machine_cpu_cores/");
                assertThat(s.value("scrape_samples_scraped")).isEqualTo(5);
                assertThat(s.counters()).containsEntry("dropped:too_old", 2.0 * i).doesNotContainKey("dropped:too_far_in_future");
            }
            assertGood(next(good.address()));
            List<String> lines = log.warnings().stream().filter(l -> l.contains(cadvisor.address())).toList();
            assertThat(lines).as("logged when it starts, not every scrape").hasSize(1);
            assertThat(lines.get(0)).startsWith("scrape:faults http://" + cadvisor.address() + "/metrics: 2 samples have timestamps")
                    .contains("older than maxSampleAge (2h)").contains("2014-05-13T16:53:20Z").contains("too_old");
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    /** Serves fixed bytes (which a String cannot carry, e.g. invalid UTF-8). */
    static final class RawTarget implements AutoCloseable {
        private final HttpServer server;

        RawTarget(String contentType, byte[] body) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/metrics", ex -> {
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * Streams a valid body of {@code size} bytes, one 64 KiB block of lines over and over (never the whole body in
     * memory). Gzip'd, the body is compressed once up front: 100 MB of repeated lines deflate to a few hundred KiB.
     */
    static final class StreamingTarget implements AutoCloseable {
        private final HttpServer server;
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean hungUp = new AtomicBoolean();

        StreamingTarget(long size, boolean gzip) throws IOException {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; lines.length() < 64 * 1024 - 64; i++) {
                lines.append(String.format("series_%016d{pad=\"xxxxxxxxxx\"} 1%n", i));
            }
            byte[] block = lines.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] compressed = null;
            if (gzip) {
                java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
                try (OutputStream z = new GZIPOutputStream(buf, 64 * 1024)) {
                    for (long n = 0; n < size; n += block.length) {
                        z.write(block);
                    }
                }
                compressed = buf.toByteArray();
            }
            byte[] gz = compressed;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/metrics", ex -> {
                try (OutputStream out = ex.getResponseBody()) {
                    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                    if (gz != null) {
                        ex.getResponseHeaders().set("Content-Encoding", "gzip");
                        ex.sendResponseHeaders(200, gz.length);
                        out.write(gz);
                        return;
                    }
                    ex.sendResponseHeaders(200, 0); // chunked: the length is never known up front
                    for (long n = 0; n < size; n += block.length) {
                        out.write(block);
                        written.set(n + block.length);
                    }
                } catch (IOException scraperHungUp) {
                    hungUp.set(true);
                } finally {
                    ex.close();
                }
            });
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** Answers 200 and then one small chunk every 50 ms, forever: a body that never ends. */
    static final class TricklingTarget implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger closedByScraper = new java.util.concurrent.atomic.AtomicInteger();

        TricklingTarget() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        open.add(s);
                        Thread t = new Thread(() -> trickle(s), "trickle");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "trickle-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void trickle(Socket s) {
            try (s) {
                byte[] buf = new byte[8192];
                s.getInputStream().read(buf); // the request; its content does not matter
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (long i = 0; !socket.isClosed(); i++) {
                    byte[] chunk = ("t_" + i + " 1\n").getBytes(StandardCharsets.US_ASCII);
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException scraperHungUp) {
                closedByScraper.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
