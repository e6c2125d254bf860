package io.caravan.remotewrite;

import io.caravan.sink.SinkMeters;
import io.micrometer.core.instrument.MeterRegistry;

/** The sink's metrics: caravan_remote_write_samples_* (Prometheus' prometheus_remote_storage_* family), wal for the queue. */
final class RemoteWriteMetrics extends SinkMeters {

    RemoteWriteMetrics(MeterRegistry registry, String sink) {
        super(registry, "caravan_remote_write", "samples", "wal", sink);
    }

    void gauges(RemoteWriteQueue queue) {
        gauge("queue_samples", "Samples in the WAL not yet acknowledged by the receiver", queue::pending);
        gauge("wal_bytes", "Bytes the sink's WAL holds on disk", queue::walBytes);
        gauge("shards", "Shards sending in parallel", queue::shardCount);
    }
}
