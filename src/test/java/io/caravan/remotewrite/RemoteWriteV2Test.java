package io.caravan.remotewrite;

import io.caravan.http.HttpClients;
import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.testing.RecordingReceiver;
import io.caravan.testing.RecordingReceiver.Answer;
import io.caravan.testing.RemoteWriteV2Decoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * remote_write 2.0 from the sink's queue, against a receiver that decodes the spec's proto (no 2.0 receiver is
 * packaged here: Debian's Prometheus is 2.42): what a 2.0 request holds, the fallback to 1.0 the spec describes
 * (415, or a 2xx without the written counts: the same request goes again as 1.0, and 1.0 from then on), and writes
 * the receiver says were partial, counted.
 */
class RemoteWriteV2Test {

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

    /** A 2.0 receiver: 204 with the counts of what it wrote (all of it). */
    static Answer writesAll(RecordingReceiver.Request r) {
        return new Answer(204, r.v2() ? Map.of("X-Prometheus-Remote-Write-Samples-Written", Integer.toString(r.samples().size()),
                "X-Prometheus-Remote-Write-Histograms-Written", "0", "X-Prometheus-Remote-Write-Exemplars-Written", "0") : Map.of());
    }

    private RecordingReceiver receiver(Function<RecordingReceiver.Request, Answer> script) throws IOException {
        RecordingReceiver r = RecordingReceiver.byRequest(script);
        closing.add(r);
        return r;
    }

    private RemoteWriteQueue queue(RecordingReceiver rx, WriteProtocol protocol) throws Exception {
        CloseableHttpClient http = HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false);
        RemoteWriteQueue q = new RemoteWriteQueue("test", RemoteWriteQueueTest.settings(1), wal, Labels.of("cluster", "east"),
                new RemoteWriteMetrics(registry, "test"), () -> RemoteWriteQueue.client(http, URI.create(rx.url()), null), protocol);
        q.start(executor);
        return q;
    }

    private static final Labels REQUESTS = Labels.of("__name__", "http_requests_total", "code", "200", "job", "api");
    private static final Labels LATENCY = Labels.of("__name__", "http_latency_seconds", "job", "api");
    private static final MetricMetadata REQUESTS_MD = new MetricMetadata("http_requests", MetricMetadata.Type.COUNTER, "Requests.", "");
    private static final MetricMetadata LATENCY_MD = new MetricMetadata("http_latency_seconds", MetricMetadata.Type.HISTOGRAM, "Latency.", "seconds");

    private static List<Sample> offered(long t) {
        NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 1, 0.001, 1, 6, 9.5,
                new int[]{0, 1}, new double[]{2}, new int[]{-1, 2, 2, 1}, new double[]{1, 1, 1}, null);
        return List.of(
                new Sample(REQUESTS, t, 42, null, List.of(new Exemplar(Labels.of("trace_id", "abc"), 0.25, t - 5)), 0),
                Sample.ofHistogram(LATENCY, t, h),
                new Sample(Labels.of("__name__", "up", "job", "api"), t, 1));
    }

    private static List<Sample> onTheWire(List<Sample> samples) {
        return samples.stream().map(s -> s.withLabels(s.labels().toBuilder().set("cluster", "east").build())).toList();
    }

    private static Function<String, MetricMetadata> knownFamilies() {
        MetadataStore store = new MetadataStore(100, 600_000);
        store.update(List.of(REQUESTS_MD, LATENCY_MD), System.currentTimeMillis());
        return store::lookup;
    }

    private double dropped(String reason) {
        var c = registry.find("caravan_remote_write_samples_dropped").tags("sink", "test", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aV2RequestCarriesSymbolsLabelRefsHistogramsExemplarsAndEachSeriesMetadata() throws Exception {
        RecordingReceiver rx = receiver(RemoteWriteV2Test::writesAll);
        RemoteWriteQueue q = queue(rx, new WriteProtocol("test", WriteProtocol.V2, knownFamilies()));
        q.offer(offered(1_700_000_000_000L));
        q.stop(5_000);
        assertThat(rx.accepted()).isEmpty();
        assertThat(rx.acceptedV2Samples()).containsExactlyElementsOf(onTheWire(offered(1_700_000_000_000L)));
        RemoteWriteV2Decoder.Request r = rx.acceptedV2().get(0);
        assertThat(r.symbols().get(0)).isEmpty();
        assertThat(r.symbols()).doesNotHaveDuplicates().contains("job", "api", "east", "Requests.", "seconds");
        assertThat(r.metadata()).hasSize(2);
        assertThat(r.metadata().get(REQUESTS.toBuilder().set("cluster", "east").build()))
                .isEqualTo(new MetricMetadata("", MetricMetadata.Type.COUNTER, "Requests.", ""));
        assertThat(r.metadata().get(LATENCY.toBuilder().set("cluster", "east").build()))
                .isEqualTo(new MetricMetadata("", MetricMetadata.Type.HISTOGRAM, "Latency.", "seconds"));
        assertThat(rx.requestHeaders().get(0)).containsEntry("content-type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
                .containsEntry("x-prometheus-remote-write-version", "2.0.0").containsEntry("content-encoding", "snappy");
    }

    @Test
    void a415MakesTheSinkSendTheSameRequestAs1AndKeepTo1() throws Exception {
        RecordingReceiver rx = receiver(r -> r.v2() ? new Answer(415, Map.of()) : Answer.OK);
        WriteProtocol protocol = new WriteProtocol("test", WriteProtocol.V2, knownFamilies());
        RemoteWriteQueue q = queue(rx, protocol);
        q.offer(offered(1_000));
        q.offer(offered(2_000));
        q.stop(5_000);
        List<Sample> expected = new ArrayList<>(onTheWire(offered(1_000)));
        expected.addAll(onTheWire(offered(2_000)));
        assertThat(rx.accepted()).as("every sample once, as 1.0").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(protocol.v2()).isFalse();
        assertThat(rx.requestHeaders().stream().filter(h -> h.get("content-type").contains("v2"))).as("2.0 asked once").hasSize(1);
    }

    @Test
    void a2xxWithoutWrittenCountsIsA1Receiver() throws Exception {
        // a 1.0-only receiver that does not look at the Content-Type: it reads a 2.0 body as an empty 1.0 request
        RecordingReceiver rx = receiver(r -> Answer.OK);
        WriteProtocol protocol = new WriteProtocol("test", WriteProtocol.V2, knownFamilies());
        RemoteWriteQueue q = queue(rx, protocol);
        q.offer(offered(1_000));
        q.stop(5_000);
        assertThat(rx.accepted()).containsExactlyInAnyOrderElementsOf(onTheWire(offered(1_000)));
        assertThat(protocol.v2()).isFalse();
    }

    @Test
    void whatA2ReceiverSaysItDidNotWriteIsCountedAsAPartialWrite() throws Exception {
        RecordingReceiver rx = receiver(r -> new Answer(204, Map.of("X-Prometheus-Remote-Write-Samples-Written",
                Integer.toString(r.samples().size() - 2), "X-Prometheus-Remote-Write-Histograms-Written", "1")));
        RemoteWriteQueue q = queue(rx, new WriteProtocol("test", WriteProtocol.V2, knownFamilies()));
        q.offer(offered(1_000));
        q.stop(5_000);
        assertThat(rx.acceptedV2Samples()).hasSize(3);
        assertThat(dropped("partial_write")).as("3 sent, 2 written (1 sample, 1 histogram)").isEqualTo(1);
        var sent = registry.find("caravan_remote_write_samples_sent").tags("sink", "test").counter();
        assertThat(sent.count()).isEqualTo(2);
    }

    @Test
    void createdTimestampsGoAsStartTimestampsIn2Only() throws Exception {
        NativeHistogram h = new NativeHistogram(false, NativeHistogram.ResetHint.UNKNOWN, 0, 0, 0, 1, 1, null, null,
                new int[]{0, 1}, new double[]{1}, null);
        List<Sample> withStarts = List.of(
                new Sample(REQUESTS, 5_000, 7, null, List.of(), 1_000),
                new Sample(LATENCY, 5_000, 0, h, List.of(), 2_000));
        RecordingReceiver rx = receiver(RemoteWriteV2Test::writesAll);
        RemoteWriteQueue q = queue(rx, new WriteProtocol("test", WriteProtocol.V2, knownFamilies()));
        q.offer(withStarts);
        q.stop(5_000);
        assertThat(rx.acceptedV2Samples()).containsExactlyElementsOf(onTheWire(withStarts));
        // a 1.0 sink sends none: 1.0 has no field for them
        RecordingReceiver v1 = receiver(r -> Answer.OK);
        RemoteWriteQueue q1 = new RemoteWriteQueue("test", RemoteWriteQueueTest.settings(1), wal.resolve("v1"), Labels.of("cluster", "east"),
                new RemoteWriteMetrics(new SimpleMeterRegistry(), "test"),
                () -> RemoteWriteQueue.client(HttpClients.push(Duration.ofSeconds(5), Duration.ofSeconds(5), null, false), URI.create(v1.url()), null));
        q1.start(executor);
        q1.offer(withStarts);
        q1.stop(5_000);
        assertThat(v1.accepted()).as("1.0 fields only (the test decoder refuses others)")
                .containsExactlyElementsOf(onTheWire(withStarts.stream().map(x -> new Sample(x.labels(), x.timestampMs(), x.value(),
                        x.histogram(), x.exemplars(), 0)).toList()));
        assertThat(v1.requestHeaders()).allSatisfy(hd -> assertThat(hd.get("content-type")).isEqualTo("application/x-protobuf"));
    }

    @Test
    void anUnknownMessageIsRefusedNamingTheTwo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WriteProtocol("mimir", "io.prometheus.write.v3.Request", null))
                .hasMessageContaining("remote-write:mimir protobufMessage must be prometheus.WriteRequest or io.prometheus.write.v2.Request");
    }
}
