package io.caravan.logs.pods;

import io.caravan.logs.LogSourceEndpoint;
import io.caravan.logs.RotatedNames;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

import java.nio.file.Path;

/**
 * The options of a pod-logs source; the producer's endpoint (the one that receives the targets) sets them. Those
 * it shares with tail: (polling, batching, dataDir) are {@link LogSourceEndpoint}'s.
 */
@UriEndpoint(scheme = "pod-logs", title = "Pod logs", syntax = "pod-logs:name", category = Category.MONITORING)
public class PodLogsEndpoint extends LogSourceEndpoint {

    @UriParam(defaultValue = "files", enums = "files,api",
            description = "files: the kubelet's files under baseDir (a DaemonSet's way); api: pods/log through the API server")
    private String mode = "files";
    @UriParam(defaultValue = "/var/log/pods", description = "Where the kubelet writes <namespace>_<pod>_<uid>/<container>/<n>.log")
    private String baseDir = "/var/log/pods";
    @UriParam(defaultValue = "auto", enums = "auto,cri,docker", description = "Container log format; auto tells them apart per line")
    private String format = "auto";

    public PodLogsEndpoint(String uri, PodLogsComponent component, String name) {
        super(uri, component, name);
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
        if (getName() == null || getName().isBlank()) {
            throw new IllegalArgumentException("pod-logs: a name is required (pod-logs:NAME)");
        }
        settings();
    }

    PodLogsSettings settings() {
        return checked(() -> new PodLogsSettings(PodLogsSettings.Mode.of(mode), Path.of(baseDir), LogFormat.of(format),
                followSettings(RotatedNames.defaults()), positionsFile()));
    }

    PodLogsJob job() {
        return getComponent().job(getName(), getEndpointUri());
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
}
