package io.caravan.remotewrite;

import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;
import io.caravan.model.Sizes;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;

/** Options of one remote-write sink; defaults follow Prometheus' remote_write and queue_config. */
@UriEndpoint(scheme = "remote-write", title = "Prometheus remote write", syntax = "remote-write:name",
        producerOnly = true, category = Category.MONITORING)
public class RemoteWriteEndpoint extends DefaultEndpoint {

    @UriPath(description = "Sink name, used in metrics, logs and the UI")
    private final String name;
    @UriParam(description = "Receiver URL; empty sends samples to the local debug sink")
    private String url = "";
    @UriParam(description = "External labels as name=value pairs separated by commas; empty values are left out")
    private String externalLabels = "";
    @UriParam(defaultValue = "4")
    private int shards = 4;
    @UriParam(defaultValue = "2000")
    private int maxSamplesPerSend = 2_000;
    @UriParam(defaultValue = "5s")
    private String batchSendDeadline = "5s";
    @UriParam(defaultValue = "30ms")
    private String minBackoff = "30ms";
    @UriParam(defaultValue = "5s")
    private String maxBackoff = "5s";
    @UriParam(defaultValue = "30s")
    private String remoteTimeout = "30s";
    @UriParam(defaultValue = "10s", description = "Time given to send what is queued when the agent stops; the rest stays in the WAL")
    private String flushTimeout = "10s";
    @UriParam(description = "Directory of the write-ahead log; default $CARAVAN_DATA_DIR/wal/NAME (./data when unset)")
    private String walDir;
    @UriParam(defaultValue = "1GiB", description = "Disk the WAL may use for all shards; past it the oldest samples are dropped (counted)")
    private String maxWalBytes = "1GiB";
    @UriParam(defaultValue = "16MiB", description = "Size of one WAL segment file (at most a quarter of a shard's share)")
    private String walSegmentSize = "16MiB";
    @UriParam(defaultValue = "2h", description = "Samples waiting longer than this in the WAL are dropped (counted as too_old)")
    private String maxWalAge = "2h";
    @UriParam(defaultValue = "1s", description = "How often the WAL is fsynced (0 = every append); a kill -9 loses nothing either way")
    private String walSyncInterval = "1s";
    @UriParam(description = "File holding a bearer token, re-read when it changes")
    private String bearerTokenFile;
    @UriParam(description = "PEM file of CAs to trust instead of the JVM's")
    private String caFile;
    @UriParam(defaultValue = "false", description = "Skip TLS verification; only for testing")
    private boolean insecureSkipVerify;
    @UriParam(defaultValue = "10000", description = "Series the debug sink keeps when no url is set")
    private int debugMaxSeries = 10_000;

    public RemoteWriteEndpoint(String uri, RemoteWriteComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        return new RemoteWriteProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("remote-write:" + name + " is a sink: use it in 'to', not in 'from'");
    }

    /** Options are checked when the endpoint is created, so validate and start-up report them. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings();
        parsedExternalLabels();
        Durations.parseMillis("remoteTimeout", remoteTimeout);
        Durations.parseMillis("flushTimeout", flushTimeout);
        if (!url.isEmpty()) {
            java.net.URI u;
            try {
                u = java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("remote-write:" + name + " url is not a URL: " + e.getMessage());
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("remote-write:" + name + " url must start with http:// or https://");
            }
        }
    }

    RemoteWriteSettings settings() {
        return new RemoteWriteSettings(shards, maxSamplesPerSend,
                Durations.parseMillis("batchSendDeadline", batchSendDeadline),
                Durations.parseMillis("minBackoff", minBackoff),
                Durations.parseMillis("maxBackoff", maxBackoff),
                Sizes.parse("maxWalBytes", maxWalBytes),
                Sizes.parse("walSegmentSize", walSegmentSize),
                Durations.parseMillis("maxWalAge", maxWalAge),
                Durations.parseMillis("walSyncInterval", walSyncInterval));
    }

    Path walPath() {
        if (walDir != null && !walDir.isBlank()) {
            return Path.of(walDir);
        }
        String base = System.getenv("CARAVAN_DATA_DIR");
        return Path.of(base == null || base.isBlank() ? "./data" : base, "wal", name);
    }

    /** "cluster=a,dc=b" into labels; a pair with an empty value (an unset env var) is left out. */
    Labels parsedExternalLabels() {
        return NameValuePairs.labels("remote-write:" + name + " externalLabels", externalLabels);
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
    }

    public String getExternalLabels() {
        return externalLabels;
    }

    public void setExternalLabels(String externalLabels) {
        this.externalLabels = externalLabels;
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

    public String getMinBackoff() {
        return minBackoff;
    }

    public void setMinBackoff(String minBackoff) {
        this.minBackoff = minBackoff;
    }

    public String getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(String maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public String getRemoteTimeout() {
        return remoteTimeout;
    }

    public void setRemoteTimeout(String remoteTimeout) {
        this.remoteTimeout = remoteTimeout;
    }

    public String getFlushTimeout() {
        return flushTimeout;
    }

    public void setFlushTimeout(String flushTimeout) {
        this.flushTimeout = flushTimeout;
    }

    public String getBearerTokenFile() {
        return bearerTokenFile;
    }

    public void setBearerTokenFile(String bearerTokenFile) {
        this.bearerTokenFile = bearerTokenFile;
    }

    public String getCaFile() {
        return caFile;
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public boolean isInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    public void setInsecureSkipVerify(boolean insecureSkipVerify) {
        this.insecureSkipVerify = insecureSkipVerify;
    }

    public int getDebugMaxSeries() {
        return debugMaxSeries;
    }

    public void setDebugMaxSeries(int debugMaxSeries) {
        this.debugMaxSeries = debugMaxSeries;
    }

    public String getWalDir() {
        return walDir;
    }

    public void setWalDir(String walDir) {
        this.walDir = walDir;
    }

    public String getMaxWalBytes() {
        return maxWalBytes;
    }

    public void setMaxWalBytes(String maxWalBytes) {
        this.maxWalBytes = maxWalBytes;
    }

    public String getWalSegmentSize() {
        return walSegmentSize;
    }

    public void setWalSegmentSize(String walSegmentSize) {
        this.walSegmentSize = walSegmentSize;
    }

    public String getMaxWalAge() {
        return maxWalAge;
    }

    public void setMaxWalAge(String maxWalAge) {
        this.maxWalAge = maxWalAge;
    }

    public String getWalSyncInterval() {
        return walSyncInterval;
    }

    public void setWalSyncInterval(String walSyncInterval) {
        this.walSyncInterval = walSyncInterval;
    }
}
