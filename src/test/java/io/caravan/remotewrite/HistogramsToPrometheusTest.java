package io.caravan.remotewrite;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;
import io.caravan.model.NativeHistogram.ResetHint;
import io.caravan.model.Sample;
import io.caravan.testing.PrometheusServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native histograms (integer and float) and exemplars through the sink's queue into the real Prometheus from
 * Debian (2.42, the receiver's native-histograms and exemplar-storage features on), read back through its query
 * API: the buckets Prometheus reports are the ones sent, so spans, deltas and schema reached it as meant.
 */
class HistogramsToPrometheusTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    @TempDir
    Path wal;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void histogramsAndExemplarsArriveAndReadBackAsSent() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start("--enable-feature=native-histograms,exemplar-storage")) {
            RemoteWriteQueue q = RemoteWriteQueueTest.queue(wal, prometheus.remoteWriteUrl(), Labels.of("cluster", "east"),
                    RemoteWriteQueueTest.settings(1), new SimpleMeterRegistry(), executor);
            long now = System.currentTimeMillis();
            Labels latency = Labels.of("__name__", "caravan_test_latency_seconds", "job", "api");
            Labels ratio = Labels.of("__name__", "caravan_test_ratio", "job", "api");
            Labels requests = Labels.of("__name__", "caravan_test_requests_total", "job", "api");
            // schema 0: bucket i is (2^(i-1), 2^i]; negative bucket 0 is [-1, -0.5)
            NativeHistogram first = new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0.001, 1, 12, 20.5,
                    new int[]{0, 1}, new double[]{1}, new int[]{0, 2, 1, 1}, new double[]{3, 5, 2}, null);
            NativeHistogram second = new NativeHistogram(false, ResetHint.UNKNOWN, 0, 0.001, 2, 24, 41,
                    new int[]{0, 1}, new double[]{2}, new int[]{0, 2, 1, 1}, new double[]{6, 10, 4}, null);
            NativeHistogram floats = new NativeHistogram(true, ResetHint.GAUGE, 1, 0, 0, 2.5, 3.75,
                    null, null, new int[]{2, 1}, new double[]{2.5}, null);
            q.offer(List.of(
                    Sample.ofHistogram(latency, now - 10_000, first),
                    Sample.ofHistogram(latency, now - 5_000, second),
                    Sample.ofHistogram(ratio, now - 5_000, floats),
                    new Sample(requests, now - 5_000, 42, null,
                            List.of(new Exemplar(Labels.of("trace_id", "4bf92f3577b34da6"), 0.7, now - 6_000)), 0)));
            q.stop(10_000);

            assertThat(prometheus.scalar("histogram_count(caravan_test_latency_seconds)")).isEqualTo(24);
            assertThat(prometheus.scalar("histogram_sum(caravan_test_latency_seconds)")).isEqualTo(41);
            JsonNode h = prometheus.query("caravan_test_latency_seconds").get(0);
            assertThat(h.path("metric").path("cluster").asText()).isEqualTo("east");
            assertThat(buckets(h)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "-1..-0.5", "2", "-0.001..0.001", "2", "0.5..1", "6", "1..2", "10", "4..8", "4"));
            JsonNode f = prometheus.query("caravan_test_ratio").get(0);
            assertThat(f.path("histogram").get(1).path("count").asText()).isEqualTo("2.5");
            // schema 1: bucket i is (2^((i-1)/2), 2^(i/2)]; bucket 2 is (1.414.., 2]
            assertThat(buckets(f)).containsOnlyKeys("1.414213562373095..2").containsValue("2.5");

            long from = (now - 60_000) / 1000;
            long to = (now + 60_000) / 1000;
            JsonNode ex = prometheus.api("/api/v1/query_exemplars?query="
                    + URLEncoder.encode("caravan_test_requests_total", StandardCharsets.UTF_8) + "&start=" + from + "&end=" + to);
            assertThat(ex).hasSize(1);
            JsonNode e = ex.get(0).path("exemplars").get(0);
            assertThat(e.path("labels").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6");
            assertThat(e.path("value").asText()).isEqualTo("0.7");
            assertThat(Math.round(e.path("timestamp").asDouble() * 1000)).isEqualTo(now - 6_000);
            assertThat(ex.get(0).path("seriesLabels").path("cluster").asText()).isEqualTo("east");
            assertThat(prometheus.scalar("caravan_test_requests_total")).isEqualTo(42);
        }
    }

    /** The query API's buckets of a histogram result, "lower..upper" to count. */
    private static Map<String, String> buckets(JsonNode result) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode b : result.path("histogram").get(1).path("buckets")) {
            out.put(b.get(1).asText() + ".." + b.get(2).asText(), b.get(3).asText());
        }
        return out;
    }
}
