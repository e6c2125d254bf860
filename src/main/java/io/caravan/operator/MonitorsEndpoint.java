package io.caravan.operator;

import io.caravan.model.Durations;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code k8s-monitors:NAME}: the ServiceMonitors and PodMonitors (monitoring.coreos.com/v1) this agent turns into scrape
 * jobs of its own node's targets. Emits the list of jobs (id, job name, discovery, running or why not) on each change.
 */
@UriEndpoint(scheme = MonitorsComponent.SCHEME, title = "prometheus-operator monitors", syntax = "k8s-monitors:name",
        consumerOnly = true, category = {Category.CONTAINER, Category.MONITORING})
public class MonitorsEndpoint extends DefaultEndpoint {

    @UriPath(description = "The source's name")
    private final String name;
    @UriParam(defaultValue = "servicemonitor,podmonitor", description = "Which monitors: servicemonitor, podmonitor, probe"
            + " (probes belong to no node: read them in a route of their own under master:, on the elected agent)")
    private String kinds = "servicemonitor,podmonitor";
    @UriParam(description = "Only monitors with these labels (a Kubernetes label selector); empty: all")
    private String labelSelector = "";
    @UriParam(description = "Namespaces whose monitors are read, separated by commas; empty: all")
    private String namespaces = "";
    @UriParam(description = "This agent's node ({{NODE_NAME}}): each job scrapes only the targets on it, so every target"
            + " is scraped once across the DaemonSet. Empty: every target (one agent only)")
    private String nodeName = "";
    @UriParam(defaultValue = "mimir", description = "The sink route (direct:NAME) the jobs' samples go to")
    private String sink = "mimir";
    @UriParam(defaultValue = "30s", description = "A job's interval when its endpoint sets none")
    private String interval = "30s";
    @UriParam(defaultValue = "10s", description = "A job's timeout when its endpoint sets none (at most its interval)")
    private String timeout = "10s";
    @UriParam(defaultValue = "1s", description = "Monitor changes within this time are applied together")
    private String debounce = "1s";
    @UriParam(defaultValue = "false", description = "Read the bearer tokens and CAs monitors name in Secrets and ConfigMaps"
            + " of their namespace (get on secrets and configmaps: the chart's monitors.readSecrets grants it); each is"
            + " written to a file only the agent reads and read again every minute. Off: such endpoints are not scraped")
    private boolean readSecrets;
    @UriParam(defaultValue = "false", description = "ServiceMonitors: only the endpoints on no node (external addresses, the"
            + " API server's own), which the node-local jobs leave out; for the route the elected agent runs. Without"
            + " nodeName")
    private boolean nodeless;

    public MonitorsEndpoint(String uri, MonitorsComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public MonitorsComponent getComponent() {
        return (MonitorsComponent) super.getComponent();
    }

    void validate() {
        kindList();
        Durations.parseMillis("interval", interval);
        Durations.parseMillis("timeout", timeout);
        Durations.parseMillis("debounce", debounce);
        if (nodeless && (!nodeName.isBlank() || kindList().contains(MonitorJobs.Kind.POD_MONITOR))) {
            throw new IllegalArgumentException("k8s-monitors:" + name + ": nodeless takes the ServiceMonitors' endpoints on no"
                    + " node, for the elected agent: without nodeName, and not with podmonitor (a pod is always on a node)");
        }
        if (!sink.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("k8s-monitors:" + name + ": sink '" + sink + "' is not a sink route's name");
        }
    }

    List<MonitorJobs.Kind> kindList() {
        return Arrays.stream(kinds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(k -> switch (k.toLowerCase(Locale.ROOT)) {
            case "servicemonitor", "servicemonitors" -> MonitorJobs.Kind.SERVICE_MONITOR;
            case "podmonitor", "podmonitors" -> MonitorJobs.Kind.POD_MONITOR;
            case "probe", "probes" -> MonitorJobs.Kind.PROBE;
            default -> throw new IllegalArgumentException("k8s-monitors:" + name + ": kinds: '" + k
                    + "' is not servicemonitor, podmonitor or probe");
        }).distinct().toList();
    }

    List<String> namespaceList() {
        return Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    MonitorJobs.Defaults defaults() {
        long i = Durations.parseMillis("interval", interval);
        long t = Math.min(i, Durations.parseMillis("timeout", timeout));
        return new MonitorJobs.Defaults(nodeName.trim(), Durations.format(i), Durations.format(t), nodeless);
    }

    long debounceMillis() {
        return Durations.parseMillis("debounce", debounce);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("k8s-monitors:" + name + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        MonitorsConsumer consumer = new MonitorsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getKinds() {
        return kinds;
    }

    public void setKinds(String kinds) {
        this.kinds = kinds;
    }

    public String getLabelSelector() {
        return labelSelector;
    }

    public void setLabelSelector(String labelSelector) {
        this.labelSelector = labelSelector == null ? "" : labelSelector;
    }

    public String getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(String namespaces) {
        this.namespaces = namespaces == null ? "" : namespaces;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName == null ? "" : nodeName;
    }

    public String getSink() {
        return sink;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public boolean isReadSecrets() {
        return readSecrets;
    }

    public void setReadSecrets(boolean readSecrets) {
        this.readSecrets = readSecrets;
    }

    public boolean isNodeless() {
        return nodeless;
    }

    public void setNodeless(boolean nodeless) {
        this.nodeless = nodeless;
    }

    public String getDebounce() {
        return debounce;
    }

    public void setDebounce(String debounce) {
        this.debounce = debounce;
    }
}
