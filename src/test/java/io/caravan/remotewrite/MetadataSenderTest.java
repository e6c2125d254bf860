package io.caravan.remotewrite;

import io.caravan.http.HttpClients;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.MetricMetadata.Type;
import io.caravan.sink.PushClient;
import io.caravan.testing.RecordingReceiver;
import io.caravan.testing.RecordingReceiver.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Metric metadata rounds: what the store holds goes out in metadata-only WriteRequests, retried, never queued on disk. */
class MetadataSenderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static final MetricMetadata REQUESTS = new MetricMetadata("http_requests", Type.COUNTER, "Requests served.", "");
    private static final MetricMetadata LATENCY = new MetricMetadata("http_latency_seconds", Type.HISTOGRAM, "Latency.", "seconds");
    private static final MetricMetadata TEMPERATURE = new MetricMetadata("temperature", Type.UNKNOWN, "", "");

    private MetadataSender sender(RecordingReceiver rx, MetadataStore store, int maxPerSend, long intervalMs) {
        PushClient client = RemoteWriteQueue.client(HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false),
                URI.create(rx.url()), null);
        return new MetadataSender("test", store, client, new WriteRequestEncoder(Labels.EMPTY), maxPerSend, intervalMs, 10, 100, registry);
    }

    private double counter(String name) {
        var c = registry.find(name).tags("sink", "test").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRoundSendsEveryFamilyInRequestsOfAtMostMaxPerSend() throws Exception {
        try (RecordingReceiver rx = new RecordingReceiver(n -> Answer.OK)) {
            MetadataStore store = new MetadataStore(100, 600_000);
            long now = System.currentTimeMillis();
            store.update(List.of(REQUESTS, LATENCY), now - 1_000);
            store.update(List.of(TEMPERATURE, new MetricMetadata("http_requests", Type.COUNTER, "Requests served, newer.", "")), now);
            sender(rx, store, 2, 60_000).sendRound(() -> false);
            assertThat(rx.requestHeaders()).hasSize(2);
            assertThat(rx.acceptedMetadata()).containsExactly(LATENCY,
                    new MetricMetadata("http_requests", Type.COUNTER, "Requests served, newer.", ""), TEMPERATURE);
            assertThat(rx.accepted()).as("metadata only, no series").isEmpty();
            Map<String, String> h = rx.requestHeaders().get(0);
            assertThat(h).containsEntry("content-encoding", "snappy").containsEntry("x-prometheus-remote-write-version", "0.1.0");
            assertThat(counter("caravan_remote_write_metadata_sent")).isEqualTo(3);
        }
    }

    @Test
    void aRetryableAnswerIsRetriedWithinTheIntervalARefusalCountsTheRoundAsFailed() throws Exception {
        try (RecordingReceiver flaky = new RecordingReceiver(n -> n == 1 ? new Answer(503, Map.of()) : Answer.OK)) {
            MetadataStore store = new MetadataStore(100, 600_000);
            store.update(List.of(REQUESTS), System.currentTimeMillis());
            sender(flaky, store, 10, 60_000).sendRound(() -> false);
            assertThat(flaky.requestHeaders()).hasSize(2);
            assertThat(flaky.acceptedMetadata()).containsExactly(REQUESTS);
        }
        try (RecordingReceiver refusing = new RecordingReceiver(n -> new Answer(400, Map.of()))) {
            MetadataStore store = new MetadataStore(100, 600_000);
            store.update(List.of(REQUESTS, LATENCY), System.currentTimeMillis());
            sender(refusing, store, 1, 60_000).sendRound(() -> false);
            assertThat(refusing.requestHeaders()).as("the round stops at the first refusal").hasSize(1);
            assertThat(counter("caravan_remote_write_metadata_failed")).isEqualTo(2);
        }
    }

    @Test
    void familiesNoScrapeDescribedForAWhileAreForgottenAndTheBoundIsCounted() {
        MetadataStore store = new MetadataStore(2, 10_000);
        store.update(List.of(REQUESTS, LATENCY, TEMPERATURE), 1_000);
        assertThat(store.notKept()).isEqualTo(1);
        assertThat(store.snapshot(5_000)).containsExactly(LATENCY, REQUESTS);
        store.update(List.of(REQUESTS), 8_000);
        assertThat(store.snapshot(12_000)).as("latency last described at 1s").containsExactly(REQUESTS);
    }
}
