package io.caravan.logs.events;

import io.caravan.model.Durations;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code k8s-events:NAME}: Kubernetes events as {@code List<LogEntry>} batches, with Alloy's
 * loki.source.kubernetes_events labels and lines. Meant to run once per cluster, under {@code master:}; the cursor
 * (the last delivered resourceVersion) is kept on disk and, with {@code cursorLease}, in a Lease the next leader reads.
 */
@UriEndpoint(scheme = KubernetesEventsComponent.SCHEME, title = "Kubernetes events", syntax = "k8s-events:name",
        consumerOnly = true, category = {Category.CONTAINER, Category.MONITORING})
public class KubernetesEventsEndpoint extends DefaultEndpoint {

    static final String DEFAULT_JOB = "loki.source.kubernetes_events";

    @UriPath(description = "The source's name: the cursor file's and the metrics'")
    private final String name;
    @UriParam(description = "Namespaces to watch, separated by commas; empty: all (needs list and watch on events"
            + " cluster-wide)")
    private String namespaces = "";
    @UriParam(defaultValue = DEFAULT_JOB, description = "The job label (Alloy's job_name)")
    private String jobName = DEFAULT_JOB;
    @UriParam(description = "The instance label; default loki.source.kubernetes_events.NAME, as Alloy's component id")
    private String instance = "";
    @UriParam(defaultValue = "logfmt", enums = "logfmt,json", description = "The line's format (Alloy's log_format)")
    private String logFormat = "logfmt";
    @UriParam(description = "NAMESPACE/NAME of a Lease that carries the cursor to the next leader (created if missing;"
            + " needs get, create and patch on leases there); empty: the cursor stays on this agent's disk only")
    private String cursorLease = "";
    @UriParam(defaultValue = "500", description = "Most events in one batch")
    private int batchSize = 500;
    @UriParam(defaultValue = "250ms", description = "How long a batch waits for more events")
    private String batchWait = "250ms";
    @UriParam(defaultValue = "1s", description = "How often the cursor is written to the Lease (and at a stop)")
    private String cursorLeaseInterval = "1s";
    @UriParam(description = "Directory for the cursor file; default CARAVAN_DATA_DIR, else ./data")
    private String dataDir = "";

    public KubernetesEventsEndpoint(String uri, KubernetesEventsComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public KubernetesEventsComponent getComponent() {
        return (KubernetesEventsComponent) super.getComponent();
    }

    void validate() {
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("k8s-events:" + name + ": the name must be lower-case letters, digits and '-'"
                    + " (it names the cursor file and the metrics)");
        }
        format();
        if (batchSize < 1) {
            throw new IllegalArgumentException("k8s-events:" + name + ": batchSize must be at least 1, not " + batchSize);
        }
        Durations.parseMillis("batchWait", batchWait);
        Durations.parseMillis("cursorLeaseInterval", cursorLeaseInterval);
        String lease = cursorLease.trim();
        if (!lease.isEmpty() && !lease.startsWith("/") && !lease.matches("[a-z0-9.-]+/[a-z0-9.-]+")) {
            throw new IllegalArgumentException("k8s-events:" + name + ": cursorLease '" + cursorLease + "' is not NAMESPACE/NAME");
        }
    }

    EventLines.Format format() {
        return switch (logFormat.trim().toLowerCase(Locale.ROOT)) {
            case "logfmt" -> EventLines.Format.LOGFMT;
            case "json" -> EventLines.Format.JSON;
            default -> throw new IllegalArgumentException("k8s-events:" + name + ": logFormat '" + logFormat
                    + "' is not logfmt or json");
        };
    }

    /** The scopes watched: "" for all namespaces, else each namespace once. */
    List<String> scopes() {
        List<String> ns = Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        return ns.isEmpty() ? List.of("") : ns;
    }

    String instanceLabel() {
        return instance.isBlank() ? DEFAULT_JOB + "." + name : instance;
    }

    Path cursorFile() {
        Path dir = dataDir.isBlank() ? getComponent().dataDir() : Path.of(dataDir);
        return dir.resolve("positions").resolve("k8s-events-" + name + ".json");
    }

    long batchWaitMillis() {
        return Durations.parseMillis("batchWait", batchWait);
    }

    long cursorLeaseIntervalMillis() {
        return Durations.parseMillis("cursorLeaseInterval", cursorLeaseInterval);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("k8s-events:" + name + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KubernetesEventsConsumer consumer = new KubernetesEventsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(String namespaces) {
        this.namespaces = namespaces == null ? "" : namespaces;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance == null ? "" : instance;
    }

    public String getLogFormat() {
        return logFormat;
    }

    public void setLogFormat(String logFormat) {
        this.logFormat = logFormat;
    }

    public String getCursorLease() {
        return cursorLease;
    }

    public void setCursorLease(String cursorLease) {
        this.cursorLease = cursorLease == null ? "" : cursorLease;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getBatchWait() {
        return batchWait;
    }

    public void setBatchWait(String batchWait) {
        this.batchWait = batchWait;
    }

    public String getCursorLeaseInterval() {
        return cursorLeaseInterval;
    }

    public void setCursorLeaseInterval(String cursorLeaseInterval) {
        this.cursorLeaseInterval = cursorLeaseInterval;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir == null ? "" : dataDir;
    }
}
