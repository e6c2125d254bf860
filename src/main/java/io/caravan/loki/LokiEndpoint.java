package io.caravan.loki;

import io.caravan.model.Sizes;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.net.URI;
import java.nio.file.Path;

/** Options of one loki sink; defaults follow Alloy's loki.write and Loki's own limits. */
@UriEndpoint(scheme = "loki", title = "Loki push", syntax = "loki:name", producerOnly = true, category = Category.MONITORING)
public class LokiEndpoint extends DefaultEndpoint {

    @UriPath(description = "Sink name, used in metrics, logs, the UI and the default spill directory")
    private final String name;
    @UriParam(description = "Push URL (http(s)://host:3100/loki/api/v1/push); empty sends entries to the local debug sink")
    private String url = "";
    @UriParam(description = "Labels added to every stream, name=value pairs separated by commas; empty values are left out")
    private String externalLabels = "";
    @UriParam(description = "Tenant, sent as X-Scope-OrgID")
    private String tenant;
    @UriParam(description = "File holding a bearer token, re-read when it changes")
    private String bearerTokenFile;
    @UriParam(description = "Basic auth user (with basicAuthPasswordFile)")
    private String basicAuthUser;
    @UriParam(description = "File holding the basic auth password, re-read when it changes")
    private String basicAuthPasswordFile;
    @UriParam(description = "PEM file of CAs to trust instead of the JVM's")
    private String caFile;
    @UriParam(defaultValue = "false", description = "Skip TLS verification; only for testing")
    private boolean insecureSkipVerify;
    @UriParam(defaultValue = "1MiB", description = "Bytes of lines per push request")
    private String batchSize = "1MiB";
    @UriParam(defaultValue = "1s", description = "Longest wait for a batch to fill")
    private String batchWait = "1s";
    @UriParam(defaultValue = "500ms")
    private String minBackoff = "500ms";
    @UriParam(defaultValue = "30s", description = "Longest wait between retries: entries wait on disk, so a short one costs a few requests in an outage and gets them moving soon after it")
    private String maxBackoff = "30s";
    @UriParam(defaultValue = "10s", description = "Timeout of one push request")
    private String timeout = "10s";
    @UriParam(defaultValue = "256KB", description = "Longest line sent (Loki's max_line_size default); 0 = no limit")
    private String maxLineSize = "256KB";
    @UriParam(defaultValue = "truncate", enums = "truncate,drop", description = "What to do with a longer line: truncate (with a marker) or drop; both counted")
    private String maxLineSizePolicy = "truncate";
    @UriParam(description = "Directory of the disk queue; default $CARAVAN_DATA_DIR/loki/NAME")
    private String spillDir;
    @UriParam(defaultValue = "512MiB", description = "Most bytes the disk queue may hold; past it the oldest are dropped (counted)")
    private String maxSpillBytes = "512MiB";
    @UriParam(defaultValue = "16MiB", description = "Size of one spill segment file (at most a quarter of maxSpillBytes)")
    private String segmentSize = "16MiB";
    @UriParam(defaultValue = "1s", description = "fsync interval of the disk queue; 0 = after every append. A power loss may lose this much")
    private String syncInterval = "1s";
    @UriParam(defaultValue = "5s", description = "Time given to send what is queued when the agent stops; the rest stays on disk")
    private String flushTimeout = "5s";
    @UriParam(defaultValue = "1000", description = "Entries the debug sink keeps when no url is set")
    private int debugMaxEntries = 1000;
    @UriParam(defaultValue = "debug", enums = "debug,off",
            description = "What an empty url means: debug = keep the latest entries in the local debug sink; off = this sink is switched off")
    private String whenNoUrl = "debug";

    public LokiEndpoint(String uri, LokiComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public LokiComponent getComponent() {
        return (LokiComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new LokiProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("loki:" + name + " is a sink: use it in 'to', not in 'from'");
    }

    /** Options are checked when the endpoint is created, so validate and start-up report them. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        try {
            senderSettings();
            parsedExternalLabels();
            lineSizeBytes();
            LineSizePolicy.parse(maxLineSizePolicy);
            timeoutMs();
            flushTimeoutMs();
            syncIntervalMs();
            if (maxSpillBytesValue() < 1024 * 1024) {
                throw new IllegalArgumentException("maxSpillBytes must be at least 1MiB");
            }
            if ((basicAuthUser == null || basicAuthUser.isBlank()) != (basicAuthPasswordFile == null || basicAuthPasswordFile.isBlank())) {
                throw new IllegalArgumentException("basicAuthUser and basicAuthPasswordFile go together");
            }
            if (basicAuthUser != null && !basicAuthUser.isBlank() && bearerTokenFile != null && !bearerTokenFile.isBlank()) {
                throw new IllegalArgumentException("use either bearerTokenFile or basic auth, not both");
            }
            if (!url.isEmpty()) {
                URI u = URI.create(url);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw new IllegalArgumentException("url must start with http:// or https://");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loki:" + name + " " + e.getMessage(), e);
        }
    }

    LokiSender.Settings senderSettings() {
        long batch = Sizes.parse("batchSize", batchSize);
        long min = Durations.parseMillis("minBackoff", minBackoff);
        long max = Durations.parseMillis("maxBackoff", maxBackoff);
        if (batch < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 byte");
        }
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1ms <= minBackoff <= maxBackoff, got " + minBackoff + " and " + maxBackoff);
        }
        return new LokiSender.Settings(batch, Durations.parseMillis("batchWait", batchWait), min, max);
    }

    /** "cluster=a,dc=b" into labels; a pair with an empty value (an unset env var) is left out. */
    Labels parsedExternalLabels() {
        return NameValuePairs.labels("externalLabels", externalLabels);
    }

    int lineSizeBytes() {
        long v = Sizes.parse("maxLineSize", maxLineSize);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxLineSize out of range");
        }
        if (v > 0 && v < 128) {
            throw new IllegalArgumentException("maxLineSize must be 0 (off) or at least 128 bytes, to leave room for the truncation marker");
        }
        return (int) v;
    }

    long maxSpillBytesValue() {
        return Sizes.parse("maxSpillBytes", maxSpillBytes);
    }

    long segmentBytes() {
        return Math.max(64 * 1024, Math.min(Sizes.parse("segmentSize", segmentSize), maxSpillBytesValue() / 4));
    }

    long timeoutMs() {
        return Durations.parseMillis("timeout", timeout);
    }

    long flushTimeoutMs() {
        return Durations.parseMillis("flushTimeout", flushTimeout);
    }

    long syncIntervalMs() {
        return Durations.parseMillis("syncInterval", syncInterval);
    }

    Path spillPath() {
        if (spillDir != null && !spillDir.isBlank()) {
            return Path.of(spillDir);
        }
        String base = System.getenv("CARAVAN_DATA_DIR");
        if (base == null || base.isBlank()) {
            base = Path.of(System.getProperty("java.io.tmpdir"), "caravan").toString();
        }
        return Path.of(base, "loki", name);
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

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getBearerTokenFile() {
        return bearerTokenFile;
    }

    public void setBearerTokenFile(String bearerTokenFile) {
        this.bearerTokenFile = bearerTokenFile;
    }

    public String getBasicAuthUser() {
        return basicAuthUser;
    }

    public void setBasicAuthUser(String basicAuthUser) {
        this.basicAuthUser = basicAuthUser;
    }

    public String getBasicAuthPasswordFile() {
        return basicAuthPasswordFile;
    }

    public void setBasicAuthPasswordFile(String basicAuthPasswordFile) {
        this.basicAuthPasswordFile = basicAuthPasswordFile;
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

    public String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(String batchSize) {
        this.batchSize = batchSize;
    }

    public String getBatchWait() {
        return batchWait;
    }

    public void setBatchWait(String batchWait) {
        this.batchWait = batchWait;
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

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getMaxLineSize() {
        return maxLineSize;
    }

    public void setMaxLineSize(String maxLineSize) {
        this.maxLineSize = maxLineSize;
    }

    public String getMaxLineSizePolicy() {
        return maxLineSizePolicy;
    }

    public void setMaxLineSizePolicy(String maxLineSizePolicy) {
        this.maxLineSizePolicy = maxLineSizePolicy;
    }

    public String getSpillDir() {
        return spillDir;
    }

    public void setSpillDir(String spillDir) {
        this.spillDir = spillDir;
    }

    public String getMaxSpillBytes() {
        return maxSpillBytes;
    }

    public void setMaxSpillBytes(String maxSpillBytes) {
        this.maxSpillBytes = maxSpillBytes;
    }

    public String getSegmentSize() {
        return segmentSize;
    }

    public void setSegmentSize(String segmentSize) {
        this.segmentSize = segmentSize;
    }

    public String getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(String syncInterval) {
        this.syncInterval = syncInterval;
    }

    public String getFlushTimeout() {
        return flushTimeout;
    }

    public void setFlushTimeout(String flushTimeout) {
        this.flushTimeout = flushTimeout;
    }

    public int getDebugMaxEntries() {
        return debugMaxEntries;
    }

    public String getWhenNoUrl() {
        return whenNoUrl;
    }

    public void setWhenNoUrl(String whenNoUrl) {
        if (!"debug".equals(whenNoUrl) && !"off".equals(whenNoUrl)) {
            throw new IllegalArgumentException("loki:" + getName() + " whenNoUrl must be debug or off, got '" + whenNoUrl + "'");
        }
        this.whenNoUrl = whenNoUrl;
    }

    public void setDebugMaxEntries(int debugMaxEntries) {
        this.debugMaxEntries = debugMaxEntries;
    }
}
