package io.caravan.remotewrite;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.testing.RemoteWriteDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that refuses every request holding a marked sample, as Prometheus refuses a whole request for one
 * sample out of order or out of bounds: the batch is split (by job, then by series) until the marked series are
 * alone, only their samples are dropped (counted as rejected), every other sample arrives once and in order,
 * and the WAL is acknowledged.
 */
class RefusedBatchTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path wal;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        executor.shutdownNow();
    }

    /** A receiver whose answer to each request (status, body) is computed from the samples it holds, as decoded. */
    static final class StubReceiver implements AutoCloseable {
        record Answer(int status, String body) {
            static final Answer OK = new Answer(204, "");
        }

        private final HttpServer server;
        final List<Sample> accepted = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        /** answer: (the request's samples, its number from 1) to the answer. */
        StubReceiver(BiFunction<List<Sample>, Integer, Answer> answer) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    List<Sample> samples = RemoteWriteDecoder.decode(in.readAllBytes());
                    Answer a = answer.apply(samples, requests.incrementAndGet());
                    if (a.status() / 100 == 2) {
                        accepted.addAll(samples);
                    } else if (a.status() / 100 == 4) {
                        refused.incrementAndGet();
                    }
                    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                    out.write(body);
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Refuses, as Prometheus 2.42 does, any request holding a sample labelled bad="yes". */
    private static StubReceiver.Answer refuseMarked(List<Sample> samples, int n) {
        return samples.stream().anyMatch(RefusedBatchTest::marked) ? new StubReceiver.Answer(400, "out of order sample\n")
                : StubReceiver.Answer.OK;
    }

    private static boolean marked(Sample s) {
        return "yes".equals(s.labels().get("bad"));
    }

    private StubReceiver receiver(BiFunction<List<Sample>, Integer, StubReceiver.Answer> answer) throws IOException {
        StubReceiver r = new StubReceiver(answer);
        closing.add(r);
        return r;
    }

    private RemoteWriteQueue queue(StubReceiver rx, int shards) throws Exception {
        return RemoteWriteQueueTest.queue(wal, rx.url(), Labels.EMPTY, RemoteWriteQueueTest.settings(shards), registry, executor);
    }

    /** One scrape's worth: n samples over 7 series of job "steady" at ts, and one marked sample of job "dup" among them if asked. */
    private static List<Sample> scrape(int n, long ts, boolean withMarked) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Sample(Labels.of("__name__", "steady", "job", "steady", "i", Integer.toString(i % 7), "k", Integer.toString(i)), ts, i));
            if (withMarked && i == n / 3) {
                out.add(new Sample(Labels.of("__name__", "dup", "job", "dup", "bad", "yes"), ts, -1));
            }
        }
        return out;
    }

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Every series' timestamps rise: nothing twice, nothing out of order. */
    private static void assertInOrderOnce(List<Sample> got) {
        Map<Labels, Long> last = new HashMap<>();
        for (Sample s : got) {
            Long prev = last.put(s.labels(), s.timestampMs());
            assertThat(prev == null || prev < s.timestampMs()).as("in order, once: %s after %s", s, prev).isTrue();
        }
    }

    /** 70 samples a record go out as whole WAL records (the common case under load), 5 as batches merged from several. */
    @ParameterizedTest(name = "{0} samples a record")
    @ValueSource(ints = {70, 5})
    void onlyTheMarkedSamplesAreDroppedAndEveryOtherArrivesOnceInOrder(int perRecord) throws Exception {
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        int offered = 0;
        int marked = 0;
        for (int round = 0; round < 20; round++) {
            boolean withMarked = round % 3 == 1;
            List<Sample> samples = scrape(perRecord, round * 100L, withMarked);
            assertThat(q.offer(samples)).isZero();
            offered += samples.size();
            marked += withMarked ? 1 : 0;
        }
        int unmarked = offered - marked;
        await(() -> rx.accepted.size() >= unmarked && q.pending() == 0);
        q.stop(5_000);
        assertThat(rx.accepted).hasSize(unmarked).noneMatch(RefusedBatchTest::marked);
        assertInOrderOnce(rx.accepted);
        assertThat(rx.refused.get()).as("requests refused: those with marked samples").isPositive();
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(marked);
        assertThat(counter("caravan_remote_write_samples_sent", "sink", "test")).isEqualTo(unmarked);
        assertThat(q.pending()).as("every batch acknowledged in the WAL").isZero();
    }

    @Test
    void aRefusedSeriesAmongOthersOfItsJobIsSingledOutByHalvingAndOnlyItsSamplesAreDropped() throws Exception {
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        int offered = 0;
        for (int round = 0; round < 3; round++) {
            List<Sample> samples = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                samples.add(new Sample(Labels.of("__name__", "cpu", "job", "cadvisor", "k", Integer.toString(k), "bad", k == 17 ? "yes" : "no"),
                        1_000 + round, k));
            }
            offered += samples.size();
            q.offer(samples); // 30 a record, over maxSamplesPerSend/8: each record is a request of its own
        }
        await(() -> q.pending() == 0);
        q.stop(5_000);
        assertThat(rx.accepted).hasSize(offered - 3).noneMatch(RefusedBatchTest::marked);
        assertInOrderOnce(rx.accepted);
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(3);
        assertThat(rx.requests.get()).as("three records, each refused once and halved down to the series: 2 * ceil(log2 30) more")
                .isLessThanOrEqualTo(3 * (1 + 2 * 5));
    }

    @Test
    void aJobWhoseEverySeriesIsRefusedCostsItsOwnSamplesOnlyAndABoundedNumberOfRequests() throws Exception {
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(new Sample(Labels.of("__name__", "probe_success", "job", "blackbox", "bad", "yes", "k", Integer.toString(i)), 1_000, 1));
            if (i % 2 == 0) {
                batch.add(new Sample(Labels.of("__name__", "up", "job", "kubelet", "k", Integer.toString(i)), 1_000, 1));
            }
        }
        q.offer(batch); // one record of 90 <= maxSamplesPerSend: one batch
        await(() -> q.pending() == 0);
        q.stop(5_000);
        assertThat(rx.accepted).as("the other job's samples, all of them").hasSize(30).allMatch(s -> s.labels().get("job").equals("kubelet"));
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(60);
        assertThat(rx.requests.get()).as("the batch, one request per job, and the halvings").isLessThanOrEqualTo(1 + 2 + 2 * RefusedBatch.halvings(90));
    }

    @Test
    void aBatchWhoseEverySampleIsRefusedCostsABoundedNumberOfRequestsAndTheShardGoesOn() throws Exception {
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        List<Sample> poison = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            poison.add(new Sample(Labels.of("__name__", "dup", "bad", "yes", "k", Integer.toString(i)), 1_000, i));
        }
        q.offer(poison); // one record of 100 = maxSamplesPerSend: one batch
        await(() -> counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected") >= 100);
        int spent = rx.requests.get();
        q.offer(scrape(10, 2_000, false));
        await(() -> rx.accepted.size() >= 10);
        q.stop(5_000);
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(100);
        assertThat(spent).as("one job: the batch and its halvings").isLessThanOrEqualTo(1 + 2 * RefusedBatch.halvings(100));
        assertThat(rx.accepted).hasSize(10).noneMatch(RefusedBatchTest::marked);
        assertThat(q.pending()).isZero();
    }

    @Test
    void withEveryOtherSeriesRefusedWhatTheHalvingsCannotSingleOutIsDroppedCountedAndNothingElse() throws Exception {
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        List<Sample> mixed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            mixed.add(new Sample(Labels.of("__name__", "mixed", "bad", i % 2 == 0 ? "yes" : "no", "k", Integer.toString(i)), 1_000, i));
        }
        q.offer(mixed);
        await(() -> q.pending() == 0);
        q.stop(5_000);
        double rejected = counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected");
        assertThat(rx.accepted).noneMatch(RefusedBatchTest::marked);
        assertThat(rx.accepted.size() + rejected).as("each sample sent or counted as dropped").isEqualTo(100);
        assertThat(rejected).as("50 refused, and the unrefused ones of the parts the halvings left whole").isBetween(50.0, 99.0);
        assertThat(rx.requests.get()).isLessThanOrEqualTo(1 + 2 * RefusedBatch.halvings(100));
    }

    @Test
    void aRetryableFailureInTheMiddleOfASplitIsRetriedNotDropped() throws Exception {
        StubReceiver rx = receiver((samples, n) -> n == 2 ? new StubReceiver.Answer(503, "overloaded") : refuseMarked(samples, n));
        RemoteWriteQueue q = queue(rx, 1);
        List<Sample> samples = scrape(40, 1_000, true);
        q.offer(samples);
        await(() -> rx.accepted.size() >= 40);
        q.stop(5_000);
        assertThat(rx.accepted).hasSize(40).noneMatch(RefusedBatchTest::marked);
        assertInOrderOnce(rx.accepted);
        assertThat(counter("caravan_remote_write_samples_retried", "sink", "test")).isGreaterThan(0);
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(1);
    }

    @Test
    void aSplitCutShortByAStopLeavesTheBatchInTheWalAndTheNextRunSendsIt() throws Exception {
        // The first request is refused; the receiver then goes down while the halves are under way.
        StubReceiver down = receiver((samples, n) -> n == 1 ? refuseMarked(samples, n) : new StubReceiver.Answer(503, "down"));
        RemoteWriteQueue q = queue(down, 1);
        q.offer(scrape(40, 1_000, true));
        await(() -> down.requests.get() >= 3);
        q.stop(100);
        assertThat(down.accepted).isEmpty();
        assertThat(q.pending()).as("not acknowledged: not every sample was sent or dropped").isEqualTo(41);

        StubReceiver up = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue again = queue(up, 1);
        await(() -> up.accepted.size() >= 40 && again.pending() == 0);
        again.stop(5_000);
        assertThat(up.accepted).hasSize(40).noneMatch(RefusedBatchTest::marked);
        assertInOrderOnce(up.accepted);
        assertThat(again.pending()).isZero();
    }

    @Test
    void refusalsAreLoggedOncePerDistinctReasonNamingTheSeriesJob() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Refusals.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        closing.add(() -> logger.detachAppender(log));
        StubReceiver rx = receiver((samples, n) -> {
            for (Sample s : samples) {
                if ("ooo".equals(s.labels().get("bad"))) {
                    return new StubReceiver.Answer(400, "out of order sample\n");
                }
                if ("oob".equals(s.labels().get("bad"))) {
                    return new StubReceiver.Answer(400, "out of bounds\n");
                }
            }
            return StubReceiver.Answer.OK;
        });
        RemoteWriteQueue q = queue(rx, 1);
        for (int round = 0; round < 6; round++) {
            List<Sample> samples = scrape(20, round * 100L, false);
            samples.add(7, new Sample(Labels.of("__name__", "probe_success", "job", "blackbox", "bad", round % 2 == 0 ? "ooo" : "oob"),
                    round * 100L, 1));
            q.offer(samples);
        }
        await(() -> counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected") >= 6 && q.pending() == 0);
        q.stop(5_000);
        List<String> warnings;
        synchronized (log) {
            warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        }
        assertThat(warnings).as("one line per reason, not one per refusal").hasSize(2);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("\"out of order sample\" (HTTP 400)"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("\"out of bounds\" (HTTP 400)"));
        assertThat(warnings).allSatisfy(w -> assertThat(w).startsWith("remote-write test: the receiver refused 1 sample(s)")
                .contains("job \"blackbox\": {__name__=\"probe_success\"").contains("at 1970-01-01T00:00:00"));
        assertThat(rx.accepted).hasSize(120);
    }

    @Test
    void aRefusedNativeHistogramIsSingledOutAndLoggedWithItsJobAndTime() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Refusals.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        closing.add(() -> logger.detachAppender(log));
        StubReceiver rx = receiver(RefusedBatchTest::refuseMarked);
        RemoteWriteQueue q = queue(rx, 1);
        List<Sample> samples = scrape(20, 5_000, false);
        NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 0, 0, 0, 3, 4.5, null, null,
                new int[]{0, 1}, new double[]{3}, null);
        samples.add(10, Sample.ofHistogram(Labels.of("__name__", "latency_seconds", "job", "hist", "bad", "yes"), 5_000, h));
        q.offer(samples);
        await(() -> counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected") >= 1 && q.pending() == 0);
        q.stop(5_000);
        assertThat(rx.accepted).hasSize(20).noneMatch(Sample::isHistogram);
        assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "rejected")).isEqualTo(1);
        List<String> warnings;
        synchronized (log) {
            warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        }
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("job \"hist\": {__name__=\"latency_seconds\"").contains("at 1970-01-01T00:00:05Z"));
    }

    @Test
    void theReasonIsTheAnswerWithoutTheSeriesAndNumbersThatDifferEachTime() {
        assertThat(Refusals.reason("out of order sample")).isEqualTo("out of order sample");
        assertThat(Refusals.reason("duplicate sample for timestamp")).isEqualTo("duplicate sample for timestamp");
        assertThat(Refusals.reason("failed pushing to ingester: user=anonymous: the sample has been rejected because its timestamp "
                + "is too old (err-mimir-sample-out-of-bounds). The affected sample has timestamp 2014-05-13T16:53:20Z and is from "
                + "series {__name__=\"x\"}")).isEqualTo("err-mimir-sample-out-of-bounds");
        assertThat(Refusals.reason("sample with repeated timestamp but different value; last value: 1, incoming value: 2 for series {a=\"b\"}"))
                .isEqualTo("sample with repeated timestamp but different value");
        assertThat(Refusals.reason("")).isEqualTo("no reason given");
    }
}
