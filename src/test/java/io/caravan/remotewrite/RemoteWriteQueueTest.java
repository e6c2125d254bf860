package io.caravan.remotewrite;

import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.testing.RecordingReceiver;
import io.caravan.testing.RecordingReceiver.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
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

    private RemoteWriteQueue queue(String url, Labels external, RemoteWriteSettings settings) {
        HttpClient http = HttpClient.newHttpClient();
        RemoteWriteQueue q = new RemoteWriteQueue("test", settings, new RemoteWriteMetrics(registry, "test"),
                () -> new RemoteWriteClient(http, URI.create(url), Duration.ofSeconds(5), external, () -> "Bearer secret"));
        q.start(executor);
        return q;
    }

    private static RemoteWriteSettings settings(int shards, int capacity) {
        return new RemoteWriteSettings(shards, capacity, 100, 50, 10, 200, 100);
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
            RemoteWriteQueue q = queue(rx.url(), Labels.of("cluster", "c1", "dc", "east"), settings(2, 1000));
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
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(4, 10_000));
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
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(1, 1000));
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
    void drops4xxBatchesWithACountedReasonAndGoesOn() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> n == 1 ? new Answer(400, Map.of()) : Answer.OK)) {
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(1, 1000));
            q.offer(series("bad", 10, 0));
            Thread.sleep(300);
            q.offer(series("good", 10, 100));
            q.stop(5_000);
            assertThat(rx.accepted()).hasSize(10).allSatisfy(s -> assertThat(s.metricName()).isEqualTo("good"));
            assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "http_400")).isEqualTo(10);
        }
    }

    @Test
    void aFullQueueDropsWithinTheEnqueueTimeoutAndCountsIt() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> new Answer(503, Map.of()))) {
            RemoteWriteQueue q = queue(rx.url(), Labels.EMPTY, settings(1, 100));
            long start = System.nanoTime();
            int dropped = q.offer(series("flood", 1000, 0));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(dropped).isBetween(700, 900);
            assertThat(tookMs).as("bounded by the 100ms enqueue timeout, not per sample").isLessThan(2_000);
            assertThat(counter("caravan_remote_write_samples_dropped", "sink", "test", "reason", "queue_full")).isEqualTo(dropped);
            q.stop(100);
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
