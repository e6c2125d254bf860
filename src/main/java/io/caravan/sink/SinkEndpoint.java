package io.caravan.sink;

import io.caravan.component.CaravanComponent;
import io.caravan.http.BasicAuthFile;
import io.caravan.http.BearerTokenFile;
import io.caravan.http.HttpClients;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.NameValuePairs;
import io.caravan.model.Sizes;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The options every durable sink shares, under one name each: where it sends (url, external labels), how
 * (auth, TLS, timeout, backoff), and its queue on disk (directory, bound, segment size, fsync interval,
 * the flush at stop). A sink's endpoint adds its own options, sets its defaults in its constructor, and
 * keeps its older option names as aliases of these. Checked at start, so validate and start-up name the
 * sink and the option.
 */
public abstract class SinkEndpoint extends DefaultEndpoint {

    @UriPath(description = "Sink name, used in metrics, logs, the UI and the default queue directory")
    private final String name;
    private final String scheme;
    private final String queueSubdir;
    @UriParam(description = "Receiver URL (http:// or https://); empty sends to the local debug sink")
    private String url = "";
    @UriParam(description = "Labels added to every series or stream, name=value pairs separated by commas; empty values are left out")
    private String externalLabels = "";
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
    @UriParam(description = "Timeout of one request")
    private String remoteTimeout;
    @UriParam(description = "First wait before a retry")
    private String minBackoff;
    @UriParam(description = "Longest wait between retries: entries wait on disk meanwhile")
    private String maxBackoff;
    @UriParam(description = "Time given to send what is queued when the agent stops; the rest stays on disk")
    private String flushTimeout;
    @UriParam(description = "Directory of the queue on disk; default $CARAVAN_DATA_DIR/<wal|loki>/NAME")
    private String queueDir;
    @UriParam(description = "Most bytes the queue may hold on disk; past it the oldest are dropped (counted)")
    private String maxQueueBytes;
    @UriParam(defaultValue = "16MiB", description = "Size of one queue segment file (at most a quarter of the bound)")
    private String segmentSize = "16MiB";
    @UriParam(defaultValue = "1s", description = "fsync interval of the queue (0 = after every append); a kill -9 loses nothing either way, a power loss this much")
    private String syncInterval = "1s";

    /**
     * @param queueSubdir where under $CARAVAN_DATA_DIR the queues of this kind of sink live ("wal", "loki"):
     *                    kept as it was, so an upgraded agent finds what it left
     */
    protected SinkEndpoint(String uri, Component component, String scheme, String name, String queueSubdir) {
        super(uri, component);
        this.scheme = scheme;
        this.name = name;
        this.queueSubdir = queueSubdir;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(sinkName() + " is a sink: use it in 'to', not in 'from'");
    }

    /** Options are checked when the endpoint is created, so validate and start-up report them. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        try {
            checkOptions();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(sinkName() + " " + e.getMessage(), e);
        }
    }

    /** The shared checks; a sink adds its own (and calls this). IllegalArgumentException naming the option. */
    protected void checkOptions() {
        parsedExternalLabels();
        remoteTimeoutMs();
        flushTimeoutMs();
        syncIntervalMs();
        long min = minBackoffMs();
        long max = maxBackoffMs();
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1ms <= minBackoff <= maxBackoff, got " + minBackoff + " and " + maxBackoff);
        }
        maxQueueBytesValue();
        Sizes.parse("segmentSize", segmentSize);
        if (blank(basicAuthUser) != blank(basicAuthPasswordFile)) {
            throw new IllegalArgumentException("basicAuthUser and basicAuthPasswordFile go together");
        }
        if (!blank(basicAuthUser) && !blank(bearerTokenFile)) {
            throw new IllegalArgumentException("use either bearerTokenFile or basic auth, not both");
        }
        if (!url.isEmpty()) {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url is not a URL: " + e.getMessage());
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("url must start with http:// or https://");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** "loki:NAME", "remote-write:NAME": how messages name this sink. */
    public String sinkName() {
        return scheme + ":" + name;
    }

    /** "cluster=a,dc=b" into labels; a pair with an empty value (an unset env var) is left out. */
    public Labels parsedExternalLabels() {
        return NameValuePairs.labels("externalLabels", externalLabels);
    }

    public long remoteTimeoutMs() {
        return Durations.parseMillis("remoteTimeout", remoteTimeout);
    }

    public long minBackoffMs() {
        return Durations.parseMillis("minBackoff", minBackoff);
    }

    public long maxBackoffMs() {
        return Durations.parseMillis("maxBackoff", maxBackoff);
    }

    public long flushTimeoutMs() {
        return Durations.parseMillis("flushTimeout", flushTimeout);
    }

    public long syncIntervalMs() {
        return Durations.parseMillis("syncInterval", syncInterval);
    }

    public long maxQueueBytesValue() {
        return Sizes.parse("maxQueueBytes", maxQueueBytes);
    }

    public long segmentBytes() {
        return Sizes.parse("segmentSize", segmentSize);
    }

    /** queueDir, else $CARAVAN_DATA_DIR/SUBDIR/NAME (./data when unset). */
    public Path queuePath() {
        if (!blank(queueDir)) {
            return Path.of(queueDir);
        }
        return CaravanComponent.dataDir(getCamelContext()).resolve(queueSubdir).resolve(name);
    }

    /** The Authorization header's source: a bearer token file, basic auth, or none (null). */
    public Supplier<String> authorization() {
        if (!blank(bearerTokenFile)) {
            return new BearerTokenFile(Path.of(bearerTokenFile));
        }
        if (!blank(basicAuthUser)) {
            return new BasicAuthFile(basicAuthUser, Path.of(basicAuthPasswordFile));
        }
        return null;
    }

    /** A client for url with this sink's TLS, timeout and auth, and its own headers. */
    public PushClient pushClient(Map<String, String> headers, boolean splitsRefusals) {
        CloseableHttpClient http = HttpClients.push(Duration.ofSeconds(10), Duration.ofMillis(remoteTimeoutMs()), caFile, insecureSkipVerify);
        return new PushClient(http, URI.create(url), headers, authorization(), splitsRefusals);
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

    public String getRemoteTimeout() {
        return remoteTimeout;
    }

    public void setRemoteTimeout(String remoteTimeout) {
        this.remoteTimeout = remoteTimeout;
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

    public String getFlushTimeout() {
        return flushTimeout;
    }

    public void setFlushTimeout(String flushTimeout) {
        this.flushTimeout = flushTimeout;
    }

    public String getQueueDir() {
        return queueDir;
    }

    public void setQueueDir(String queueDir) {
        this.queueDir = queueDir;
    }

    public String getMaxQueueBytes() {
        return maxQueueBytes;
    }

    public void setMaxQueueBytes(String maxQueueBytes) {
        this.maxQueueBytes = maxQueueBytes;
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
}
