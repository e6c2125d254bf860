package io.caravan.logs.pods;

import io.caravan.logs.DataDir;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.RotatedNames;
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

/** The options of a pod-logs source; the producer's endpoint (the one that receives the targets) sets them. */
@UriEndpoint(scheme = "pod-logs", title = "Pod logs", syntax = "pod-logs:name", category = Category.MONITORING)
public class PodLogsEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the source: joins the producer (targets in) and the consumer (entries out)")
    private final String name;
    @UriParam(defaultValue = "files", enums = "files,api",
            description = "files: the kubelet's files under baseDir (a DaemonSet's way); api: pods/log through the API server")
    private String mode = "files";
    @UriParam(defaultValue = "/var/log/pods", description = "Where the kubelet writes <namespace>_<pod>_<uid>/<container>/<n>.log")
    private String baseDir = "/var/log/pods";
    @UriParam(defaultValue = "auto", enums = "auto,cri,docker", description = "Container log format; auto tells them apart per line")
    private String format = "auto";
    @UriParam(defaultValue = "250ms", description = "How often a file at its end is looked at again; the pause before an API reconnect")
    private String pollInterval = "250ms";
    @UriParam(defaultValue = "1s", description = "Pause after a failure (route or API), doubling up to 30s")
    private String retryInterval = "1s";
    @UriParam(defaultValue = "1048576", description = "Longer lines (joined pieces included) are cut here, counted")
    private int maxLineBytes = 1 << 20;
    @UriParam(defaultValue = "1000", description = "Most lines in one exchange")
    private int batchLines = 1000;
    @UriParam(defaultValue = "1048576", description = "Most bytes in one exchange")
    private long batchBytes = 1 << 20;
    @UriParam(description = "Directory for the positions file; default the component's, else CARAVAN_DATA_DIR, else ./data")
    private String dataDir;

    public PodLogsEndpoint(String uri, PodLogsComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public PodLogsComponent getComponent() {
        return (PodLogsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new PodLogsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PodLogsConsumer consumer = new PodLogsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("pod-logs: a name is required (pod-logs:NAME)");
        }
        settings();
    }

    PodLogsSettings settings() {
        String where = "pod-logs:" + name;
        try {
            FollowSettings follow = new FollowSettings(maxLineBytes, batchLines, batchBytes,
                    Durations.parseMillis(where + " pollInterval", pollInterval),
                    Durations.parseMillis(where + " retryInterval", retryInterval), RotatedNames.defaults());
            return new PodLogsSettings(PodLogsSettings.Mode.of(mode), Path.of(baseDir), LogFormat.of(format), follow,
                    DataDir.positionsFile(DataDir.resolve(dataDir, getComponent().getDataDir()), PodLogsComponent.SCHEME, name));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    PodLogsJob job() {
        return getComponent().job(name, getEndpointUri());
    }

    public String getName() {
        return name;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getBaseDir() {
        return baseDir;
    }

    public void setBaseDir(String baseDir) {
        this.baseDir = baseDir;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    public String getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(String retryInterval) {
        this.retryInterval = retryInterval;
    }

    public int getMaxLineBytes() {
        return maxLineBytes;
    }

    public void setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public int getBatchLines() {
        return batchLines;
    }

    public void setBatchLines(int batchLines) {
        this.batchLines = batchLines;
    }

    public long getBatchBytes() {
        return batchBytes;
    }

    public void setBatchBytes(long batchBytes) {
        this.batchBytes = batchBytes;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
