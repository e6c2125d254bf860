package io.caravan.remotewrite;

import io.caravan.model.Durations;
import io.caravan.sink.SinkEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Options of one remote-write sink: the shared ones of {@link SinkEndpoint} (defaults after Prometheus'
 * remote_write and queue_config) and its own: shards, batching, the WAL's age bound, the debug sink. Its
 * older option names (walDir, maxWalBytes, walSegmentSize, walSyncInterval) stay aliases.
 */
@UriEndpoint(scheme = "remote-write", title = "Prometheus remote write", syntax = "remote-write:name",
        producerOnly = true, category = Category.MONITORING)
public class RemoteWriteEndpoint extends SinkEndpoint {

    @UriParam(defaultValue = "4")
    private int shards = 4;
    @UriParam(defaultValue = "2000")
    private int maxSamplesPerSend = 2_000;
    @UriParam(defaultValue = "5s")
    private String batchSendDeadline = "5s";
    @UriParam(defaultValue = "2h", description = "Samples waiting longer than this in the WAL are dropped (counted as too_old)")
    private String maxWalAge = "2h";
    @UriParam(defaultValue = WriteProtocol.V1, description = "The message sent (Prometheus' protobuf_message): prometheus.WriteRequest "
            + "(remote_write 1.0) or io.prometheus.write.v2.Request (2.0: symbols, metadata with each series; 1.0 from the first "
            + "answer that shows the receiver takes only 1.0)")
    private String protobufMessage = WriteProtocol.V1;
    @UriParam(defaultValue = "1m", description = "How often the metric metadata of the scrapes that reach the sink is sent "
            + "(Prometheus' metadata_config send_interval); 0 = never")
    private String metadataSendInterval = "1m";
    @UriParam(defaultValue = "2000", description = "Metadata entries per request (metadata_config max_samples_per_send)")
    private int metadataMaxPerSend = 2_000;
    @UriParam(defaultValue = "10000", description = "Series the debug sink keeps when no url is set")
    private int debugMaxSeries = 10_000;

    public RemoteWriteEndpoint(String uri, RemoteWriteComponent component, String name) {
        super(uri, component, "remote-write", name, "wal");
        setRemoteTimeout("30s");
        setMinBackoff("30ms");
        setMaxBackoff("5s");
        setFlushTimeout("10s");
        setMaxQueueBytes("1GiB");
    }

    @Override
    public RemoteWriteComponent getComponent() {
        return (RemoteWriteComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new RemoteWriteProducer(this);
    }

    @Override
    protected void checkOptions() {
        super.checkOptions();
        settings();
        new WriteProtocol(getName(), protobufMessage, null); // refuses an unknown message at start
        if (metadataSendIntervalMs() < 0 || metadataMaxPerSend < 1) {
            throw new IllegalArgumentException("remote-write:" + getName() + " metadataSendInterval must not be negative and "
                    + "metadataMaxPerSend at least 1, got " + metadataSendInterval + " and " + metadataMaxPerSend);
        }
    }

    RemoteWriteSettings settings() {
        return new RemoteWriteSettings(shards, maxSamplesPerSend,
                Durations.parseMillis("batchSendDeadline", batchSendDeadline),
                minBackoffMs(), maxBackoffMs(), maxQueueBytesValue(), segmentBytes(),
                Durations.parseMillis("maxWalAge", maxWalAge), syncIntervalMs());
    }

    public int getShards() {
        return shards;
    }

    public void setShards(int shards) {
        this.shards = shards;
    }

    public int getMaxSamplesPerSend() {
        return maxSamplesPerSend;
    }

    public void setMaxSamplesPerSend(int maxSamplesPerSend) {
        this.maxSamplesPerSend = maxSamplesPerSend;
    }

    public String getBatchSendDeadline() {
        return batchSendDeadline;
    }

    public void setBatchSendDeadline(String batchSendDeadline) {
        this.batchSendDeadline = batchSendDeadline;
    }

    public String getMaxWalAge() {
        return maxWalAge;
    }

    public void setMaxWalAge(String maxWalAge) {
        this.maxWalAge = maxWalAge;
    }

    public int getDebugMaxSeries() {
        return debugMaxSeries;
    }

    public void setDebugMaxSeries(int debugMaxSeries) {
        this.debugMaxSeries = debugMaxSeries;
    }

    /** Old name of queueDir (sinks.yaml sets it). */
    public void setWalDir(String walDir) {
        setQueueDir(walDir);
    }

    /** Old name of maxQueueBytes (sinks.yaml sets it). */
    public void setMaxWalBytes(String maxWalBytes) {
        setMaxQueueBytes(maxWalBytes);
    }

    /** Old name of segmentSize. */
    public void setWalSegmentSize(String walSegmentSize) {
        setSegmentSize(walSegmentSize);
    }

    /** Old name of syncInterval. */
    public void setWalSyncInterval(String walSyncInterval) {
        setSyncInterval(walSyncInterval);
    }

    long metadataSendIntervalMs() {
        return Durations.parseMillis("metadataSendInterval", metadataSendInterval);
    }

    public String getMetadataSendInterval() {
        return metadataSendInterval;
    }

    public void setMetadataSendInterval(String metadataSendInterval) {
        this.metadataSendInterval = metadataSendInterval;
    }

    public int getMetadataMaxPerSend() {
        return metadataMaxPerSend;
    }

    public void setMetadataMaxPerSend(int metadataMaxPerSend) {
        this.metadataMaxPerSend = metadataMaxPerSend;
    }

    public String getProtobufMessage() {
        return protobufMessage;
    }

    public void setProtobufMessage(String protobufMessage) {
        this.protobufMessage = protobufMessage;
    }
}
