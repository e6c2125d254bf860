package io.caravan.canary;

import io.caravan.model.Durations;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "canary", title = "Read-back canary", syntax = "canary:name", consumerOnly = true,
        category = Category.MONITORING)
public class CanaryEndpoint extends DefaultEndpoint {

    /** What a canary sends: a sample to a remote-write sink, or a log line to a Loki sink. */
    public enum Kind { METRICS, LOGS }

    @UriPath(description = "The canary's name, by convention its sink's: its `canary` label and the metrics' tag")
    private final String name;
    @UriParam(enums = "metrics,logs", description = "metrics: a caravan_canary sample, read back through Prometheus' query API; "
            + "logs: a line on the caravan-canary stream, read back through Loki's")
    private String kind;
    @UriParam(description = "The store's query API: Prometheus/Mimir up to /api/v1 (e.g. https://mimir.example/prometheus), Loki up "
            + "to /loki/api/v1; empty: the canary is off")
    private String queryUrl = "";
    @UriParam(defaultValue = "1m", description = "How often a marker is sent")
    private String interval = "1m";
    @UriParam(defaultValue = "10s", description = "How often outstanding markers are looked for")
    private String checkInterval = "10s";
    @UriParam(defaultValue = "3m", description = "A marker not found by then is counted missing")
    private String missingAfter = "3m";
    @UriParam(description = "The instance label of the markers; default NODE_NAME, else the host name")
    private String instance;
    @UriParam(description = "X-Scope-OrgID of the queries (Mimir's and Loki's tenant)")
    private String tenant = "";
    @UriParam(description = "File holding a bearer token for the query API, re-read when it changes")
    private String bearerTokenFile = "";
    @UriParam(description = "PEM file of CAs to verify the query API against")
    private String caFile;
    @UriParam(defaultValue = "false", description = "Skip TLS verification of the query API; only when explicitly needed")
    private boolean insecureSkipVerify;
    @UriParam(defaultValue = "10s", description = "Timeout of one query")
    private String queryTimeout = "10s";

    public CanaryEndpoint(String uri, CanaryComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public CanaryComponent getComponent() {
        return (CanaryComponent) super.getComponent();
    }

    /** Refuses a bad option when the route is created, naming it. */
    void validate() {
        kind();
        for (String[] d : new String[][] {{"interval", interval}, {"checkInterval", checkInterval}, {"missingAfter", missingAfter},
                {"queryTimeout", queryTimeout}}) {
            if (Durations.parseMillis("canary:" + name + " " + d[0], d[1]) <= 0) {
                throw new IllegalArgumentException("canary:" + name + " " + d[0] + " must be positive, got " + d[1]);
            }
        }
        if (millis(missingAfter) <= millis(checkInterval)) {
            throw new IllegalArgumentException("canary:" + name + " missingAfter (" + missingAfter + ") must be longer than checkInterval ("
                    + checkInterval + "), or no marker could be found in time");
        }
    }

    Kind kind() {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("canary:" + name + " needs kind=metrics or kind=logs");
        }
        return switch (kind.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "metrics" -> Kind.METRICS;
            case "logs" -> Kind.LOGS;
            default -> throw new IllegalArgumentException("canary:" + name + " kind must be metrics or logs, got '" + kind + "'");
        };
    }

    static long millis(String duration) {
        return Durations.parseMillis("duration", duration);
    }

    String instanceLabel() {
        if (instance != null && !instance.isBlank()) {
            return instance;
        }
        String node = System.getenv("NODE_NAME");
        if (node != null && !node.isBlank()) {
            return node;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("canary:" + name + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CanaryConsumer consumer = new CanaryConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getQueryUrl() {
        return queryUrl;
    }

    public void setQueryUrl(String queryUrl) {
        this.queryUrl = queryUrl == null ? "" : queryUrl.strip();
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(String checkInterval) {
        this.checkInterval = checkInterval;
    }

    public String getMissingAfter() {
        return missingAfter;
    }

    public void setMissingAfter(String missingAfter) {
        this.missingAfter = missingAfter;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant == null ? "" : tenant;
    }

    public String getBearerTokenFile() {
        return bearerTokenFile;
    }

    public void setBearerTokenFile(String bearerTokenFile) {
        this.bearerTokenFile = bearerTokenFile == null ? "" : bearerTokenFile;
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

    public String getQueryTimeout() {
        return queryTimeout;
    }

    public void setQueryTimeout(String queryTimeout) {
        this.queryTimeout = queryTimeout;
    }
}
