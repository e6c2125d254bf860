package io.caravan.remotewrite;

import io.caravan.http.HttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.testing.RecordingReceiver;
import io.caravan.testing.RecordingReceiver.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteWriteQueueTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    @TempDir
    Path wal;

    private RemoteWriteQueue queue(String url, Labels external, RemoteWriteSettings settings) throws Exception {
        return queue(wal, url, external, settings, registry, executor);
    }

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    static RemoteWriteQueue queue(Path wal, String url, Labels external, RemoteWriteSettings settings,
                                  MeterRegistry registry, ExecutorService executor) throws Exception {
        CloseableHttpClient http = HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false);
        RemoteWriteQueue q = new RemoteWriteQueue("test", settings, wal, external, new RemoteWriteMetrics(registry, "test"),
                () -> RemoteWriteQueue.client(http, URI.create(url), () -> "Bearer secret"));
        q.start(executor);
        return q;
    }

    static RemoteWriteSettings settings(int shards) {
        return settings(shards, 64L << 20, 7_200_000);
    }

    static RemoteWriteSettings settings(int shards, long maxWalBytes, long maxWalAgeMs) {
        return new RemoteWriteSettings(shards, 100, 50, 10, 200, maxWalBytes, 64 * 1024, maxWalAgeMs, 1000);
    }

    private static List<Sample> series(String name, int count, long t0) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Sample(Labels.of("__name__", name, "i", Integer.toString(i % 7)), t0 + i, i));
        }
        return out;
    }

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void sendsTheSpecHeadersSortedLabelsAndMergesExternalLabelsWhereTheSeriesHasNone() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(rx.url(), Labels.of("cluster", "c1", "dc", "east"), settings(2));
            q.offer(List.of(
                    new Sample(Labels.of("__name__", "m", "zone", "z", "a", "1"), 1000, 1.5),
                    new Sample(Labels.of("__name__", "m", "dc", "own"), 1000, Sample.STALE_NAN)));
            q.stop(5_000);
            assertThat(rx.accepted()).hasSize(2);
            assertThat(rx.accepted()).anySatisfy(s -> {
                assertThat(s.labels()).isEqualTo(Labels.of("__name__", "m", "zone", "z", "a", "1", "cluster", "c1", "dc", "east"));
                assertThat(s.value()).isEqualTo(1.5);
                assertThat(s.timestampMs()).isEqualTo(1000);
            });
            assertThat(rx.accepted()).anySatisfy(s -> {
                assertThat(s.labels().get("dc")).as("the series' own label wins").isEqualTo("own");
                assertThat(Sample.isStaleMarker(s.value())).as("staleness marker bits survive the wire").isTrue();
            });
            Map<String, String> h = rx.requestHeaders().get(0);
            assertThat(h).containsEntry("content-encoding", "snappy")
                    .containsEntry("content-type", "application/x-protobuf")
                    .containsEntry("x-prometheus-remote-write-version", "0.1.0")
                    .containsEntry("authorization", "Bearer secret");
            assertThat(h.get("user-agent")).startsWith("Caravan/");
        }
    }

    @Test
    void keepsEverySeriesInOrderAcrossShardsAndBatches() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(4));
            for (int round = 0; round < 20; round++) {
                q.offer(series("ordered", 70, round * 100L));
            }
            q.stop(10_000);
            List<Sample> got = rx.accepted();
            assertThat(got).hasSize(1400);
            Map<Labels, Long> last = new java.util.HashMap<>();
            for (Sample s : got) {
                Long prev = last.put(s.labels(), s.timestampMs());
                assertThat(prev == null || prev < s.timestampMs()).as("in order: %s", s).isTrue();
            }
            assertThat(counter("caravan_remote_write_samples_sent", "sink", "test")).isEqualTo(1400);
        }
    }

    @Test
    void retries5xxAndHonoursRetryAfterOn429WithoutLosingOrDuplicating() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> switch (n) {
            case 1, 2 -> new Answer(503, Map.of());
            case 3 -> new Answer(429, Map.of("Retry-After", "1"));
            default -> Answer.OK;
        })) {
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(1));
            q.offer(series("retried", 50, 0));
            long deadline = System.currentTimeMillis() + 10_000;
            while (rx.accepted().size() < 50 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            q.stop(5_000);
            assertThat(rx.accepted()).hasSize(50);
            List<Long> times = rx.requestTimes();
            assertThat(times.get(3) - times.get(2)).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
            assertThat(counter("caravan_remote_write_samples_retried", "sink", "test")).isEqualTo(150);
        }
    }

    @Test
    void aBatchRefusedWithA4xxNoPartCouldPassIsDroppedWholeWithACountedReasonAndTheQueueGoesOn() throws Exception {
        // A 4xx about the content (400, 409, 413, 422) is split instead: RefusedBatchTest
        try (RecordingReceiver rx = new RecordingReceiver(n -> n == 1 ? new Answer(401, Map.of()) : Answer.OK)) {
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(1));
            q.offer(series("unauthorized", 10, 0));
            Thread.sleep(300);
            q.offer(series("good", 10, 100));
            q.stop(5_000);
            assertThat(rx.accepted()).hasSize(10).allSatisfy(s -> assertThat(s.metricName()).isEqualTo("good"));
            assertThat(rx.requestTimes()).as("not split: no part of it would pass").hasSize(2);
            assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "http_401")).isEqualTo(10);
        }
    }

    @Test
    void whatTheReceiverHadNotTakenIsSentAfterARestartOnceAndInOrder() throws Exception {
        try (RecordingReceiver down = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(down.url(), Labels.EMPTY, settings(3));
            for (int round = 0; round < 10; round++) {
                assertThat(q.offer(series("kept", 70, round * 100L))).isZero();
            }
            assertThat(q.pending()).isEqualTo(700);
            q.stop(200);
            assertThat(down.accepted()).isEmpty();
        }
        try (RecordingReceiver up = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(up.url(), Labels.EMPTY, settings(3));
            q.offer(series("kept", 70, 5_000));
            awaitAccepted(up, 770);
            q.stop(5_000);
            assertThat(up.accepted()).hasSize(770);
            assertInOrderWithoutDuplicates(up.accepted());
            assertThat(q.pending()).isZero();
        }
    }

    @Test
    void aWalWrittenWithMoreShardsIsDrainedByTheFewerShardsOfTheNextRun() throws Exception {
        try (RecordingReceiver down = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(down.url(), Labels.EMPTY, settings(5));
            q.offer(series("resharded", 500, 0));
            q.stop(100);
        }
        try (RecordingReceiver up = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(up.url(), Labels.EMPTY, settings(2));
            awaitAccepted(up, 500);
            q.stop(5_000);
            assertThat(up.accepted()).hasSize(500);
            assertThat(wal.resolve("shard-4")).as("an inherited log is removed once sent").doesNotExist();
            assertThat(wal.resolve("shard-1")).exists();
        }
    }

    @Test
    void samplesOlderThanMaxWalAgeAreSkippedAndCounted() throws Exception {
        try (RecordingReceiver down = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(down.url(), Labels.EMPTY, settings(2));
            q.offer(series("old", 40, 0));
            q.stop(100);
        }
        Thread.sleep(1_200);
        try (RecordingReceiver up = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(up.url(), Labels.EMPTY, settings(2, 64L << 20, 1_000));
            q.offer(series("fresh", 40, 10_000));
            awaitAccepted(up, 40);
            q.stop(5_000);
            assertThat(up.accepted()).hasSize(40).allSatisfy(s -> assertThat(s.metricName()).isEqualTo("fresh"));
            assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "too_old")).isEqualTo(40);
            assertThat(q.pending()).isZero();
        }
    }

    @Test
    void aLongOutageKeepsTheWalAtItsBoundAndCountsWhatItDropped() throws Exception {
        long bound = 2L << 20; // 1 MiB per shard
        int offered = 0;
        try (RecordingReceiver down = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(down.url(), Labels.of("cluster", "c"), settings(2, bound, 7_200_000));
            for (int round = 0; round < 400; round++) {
                List<Sample> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    batch.add(new Sample(Labels.of("__name__", "flood", "pod", "pod-" + i, "uid", java.util.UUID.randomUUID().toString()),
                            round * 1000L, Math.random()));
                }
                offered += batch.size();
                assertThat(q.offer(batch)).isZero();
                assertThat(q.walBytes()).as("disk stays at its bound").isLessThanOrEqualTo(bound + 2 * (64 * 1024));
            }
            q.stop(100);
        }
        double full = counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "wal_full");
        assertThat(full).as("an outage longer than the WAL holds drops the oldest, counted").isGreaterThan(0);
        try (RecordingReceiver up = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(up.url(), Labels.EMPTY, settings(2, bound, 7_200_000));
            long expect = offered - (long) full;
            awaitAccepted(up, expect);
            q.stop(5_000);
            assertThat((long) up.accepted().size()).as("sent + dropped = offered").isEqualTo(expect);
            assertInOrderWithoutDuplicates(up.accepted());
        }
    }

    @Test
    void aDamagedRecordIsSkippedAndCountedAndTheRestIsSent() throws Exception {
        try (RecordingReceiver down = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(down.url(), Labels.EMPTY, settings(1));
            for (int round = 0; round < 5; round++) {
                q.offer(series("damaged", 20, round * 100L));
            }
            q.stop(100);
        }
        Path segment;
        try (var files = Files.list(wal.resolve("shard-0"))) {
            segment = files.filter(p -> p.toString().endsWith(".seg")).filter(p -> p.toFile().length() > 0).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int recordSize = bytes.length / 5;
        for (int i = 0; i < 40; i++) {
            bytes[2 * recordSize + 30 + i] = 0; // NUL bytes over the 3rd record's payload
        }
        Files.write(segment, bytes);
        try (RecordingReceiver up = new RecordingReceiver(n -> Answer.OK)) {
            RemoteWriteQueue q = queue(up.url(), Labels.EMPTY, settings(1));
            awaitAccepted(up, 80);
            q.stop(5_000);
            assertThat(up.accepted()).hasSize(80);
            assertThat(up.accepted()).noneMatch(s -> s.timestampMs() >= 200 && s.timestampMs() < 300);
            assertThat(counter("caravan_remote_write_wal_corrupt_bytes", "sink", "test")).isGreaterThanOrEqualTo(recordSize);
        }
    }

    @Test
    void everySampleWhoseOfferReturnedSurvivesKill9AndDuplicatesAreAtMostTheBatchesInFlight() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> Answer.OK)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WalChild.class.getName(),
                    wal.toString(), rx.url()).redirectErrorStream(true).start();
            int acknowledged = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ok ")) {
                        acknowledged = Integer.parseInt(line.substring(3));
                        if (acknowledged >= 200) {
                            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
                            break;
                        }
                    }
                }
            }
            child.waitFor();
            assertThat(acknowledged).as("child output").isGreaterThanOrEqualTo(200);
            int beforeRestart = rx.accepted().size();
            RemoteWriteQueue q = queue(wal, rx.url(), Labels.EMPTY, WalChild.SETTINGS, registry, executor);
            long mustHave = (acknowledged + 1L) * WalChild.PER_OFFER;
            awaitAccepted(rx, mustHave);
            Thread.sleep(500);
            q.stop(5_000);
            Map<String, Integer> seen = new java.util.HashMap<>();
            for (Sample s : rx.accepted()) {
                seen.merge(s.labels().get("i") + "@" + s.timestampMs(), 1, Integer::sum);
                assertThat(s).as("histograms and exemplars come back whole")
                        .isEqualTo(WalChild.sample(Integer.parseInt(s.labels().get("i")), (int) s.timestampMs()));
            }
            for (int n = 0; n <= acknowledged; n++) {
                for (int i = 0; i < WalChild.PER_OFFER; i++) {
                    assertThat(seen).as("offer %d sample %d", n, i).containsKey(i + "@" + n);
                }
            }
            long duplicates = rx.accepted().size() - seen.size();
            assertThat(duplicates).as("resent after the kill (received %d before the restart)", beforeRestart)
                    .isLessThanOrEqualTo((long) WalChild.SETTINGS.shards() * WalChild.SETTINGS.maxSamplesPerSend());
        }
    }

    private static void awaitAccepted(RecordingReceiver rx, long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (rx.accepted().size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void assertInOrderWithoutDuplicates(List<Sample> got) {
        Map<Labels, Long> last = new java.util.HashMap<>();
        for (Sample s : got) {
            Long prev = last.put(s.labels(), s.timestampMs());
            assertThat(prev == null || prev < s.timestampMs()).as("in order, once: %s after %s", s, prev).isTrue();
        }
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(io.caravan.http.RetryAfter.millis("3")).isEqualTo(3000);
        assertThat(io.caravan.http.RetryAfter.millis(null)).isZero();
        assertThat(io.caravan.http.RetryAfter.millis("soon")).isZero();
        String inTwoSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(5));
        assertThat(io.caravan.http.RetryAfter.millis(inTwoSeconds)).isBetween(3000L, 5000L);
    }
}
