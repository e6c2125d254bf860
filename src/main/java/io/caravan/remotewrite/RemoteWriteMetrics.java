package io.caravan.remotewrite;

import io.caravan.sink.PushClient;
import io.caravan.sink.SinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/** The sink's own metrics, named after Prometheus' prometheus_remote_storage_* family. */
final class RemoteWriteMetrics implements SinkMetrics {

    private final MeterRegistry registry;
    private final String sink;
    private final Counter enqueued;
    private final Counter sent;
    private final Counter retried;
    private final Counter bytes;
    private final Timer requests;
    private final Counter corruptBytes;

    RemoteWriteMetrics(MeterRegistry registry, String sink) {
        this.registry = registry;
        this.sink = sink;
        this.enqueued = Counter.builder("caravan_remote_write_samples_in").description("Samples handed to the remote-write queue")
                .tag("sink", sink).register(registry);
        this.sent = Counter.builder("caravan_remote_write_samples_sent").description("Samples the receiver acknowledged")
                .tag("sink", sink).register(registry);
        this.retried = Counter.builder("caravan_remote_write_samples_retried").description("Samples in requests that were retried")
                .tag("sink", sink).register(registry);
        this.bytes = Counter.builder("caravan_remote_write_sent_bytes").description("Compressed request bytes sent")
                .tag("sink", sink).register(registry);
        this.corruptBytes = Counter.builder("caravan_remote_write_wal_corrupt_bytes").description("Bytes of damaged WAL records skipped")
                .tag("sink", sink).register(registry);
        this.requests = Timer.builder("caravan_remote_write_request_duration").description("Remote-write request latency")
                .tag("sink", sink).register(registry);
    }

    <T> void gauges(T queue, ToDoubleFunction<T> pending, ToDoubleFunction<T> shards, ToDoubleFunction<T> walBytes) {
        Gauge.builder("caravan_remote_write_queue_samples", queue, pending).description("Samples in the WAL not yet acknowledged by the receiver")
                .tag("sink", sink).register(registry);
        Gauge.builder("caravan_remote_write_wal_bytes", queue, walBytes).description("Bytes the sink's WAL holds on disk")
                .tag("sink", sink).register(registry);
        Gauge.builder("caravan_remote_write_shards", queue, shards).description("Shards sending in parallel")
                .tag("sink", sink).register(registry);
    }

    void enqueued(long n) {
        enqueued.increment(n);
    }

    @Override
    public void sent(long n) {
        sent.increment(n);
    }

    @Override
    public void retried(long n) {
        retried.increment(n);
    }

    @Override
    public void overLimit(long samples) {
        dropped("wal_full", samples);
    }

    @Override
    public void corrupt(long bytes) {
        corruptBytes.increment(bytes);
    }

    @Override
    public void dropped(String reason, long n) {
        Counter.builder("caravan_remote_write_samples_dropped").description("Samples lost, by reason")
                .tag("sink", sink).tag("reason", reason).register(registry).increment(n);
    }

    @Override
    public void request(long nanos, PushClient.Outcome outcome, int bodyBytes) {
        requests.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.kind() == PushClient.Outcome.Kind.SENT) {
            bytes.increment(bodyBytes);
        }
    }

    double sentTotal() {
        return sent.count();
    }
}
