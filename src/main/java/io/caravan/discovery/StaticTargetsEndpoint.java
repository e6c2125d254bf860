package io.caravan.discovery;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "static-targets", title = "Static targets", syntax = "static-targets:name", consumerOnly = true,
        category = Category.MONITORING)
public class StaticTargetsEndpoint extends DefaultEndpoint {

    @Override
    public StaticTargetsComponent getComponent() {
        return (StaticTargetsComponent) super.getComponent();
    }

    @UriPath(description = "Name of the list, for logs and the UI")
    private final String name;
    @UriParam(description = "Target addresses (host:port) separated by commas")
    private String addresses = "";
    @UriParam(description = "Labels for every target of 'addresses', as name=value pairs separated by commas")
    private String labels = "";
    @UriParam(description = "YAML or JSON file of targets: a list of label maps, or Prometheus file_sd groups "
            + "({targets: [...], labels: {...}}); classpath: or file: prefix, or a plain path")
    private String file;
    @UriParam(defaultValue = "30s", description = "How often the file is checked for changes")
    private String refreshInterval = "30s";

    public StaticTargetsEndpoint(String uri, StaticTargetsComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("static-targets:" + name + " is a source: use it in 'from'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StaticTargetsConsumer consumer = new StaticTargetsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public String getAddresses() {
        return addresses;
    }

    public void setAddresses(String addresses) {
        this.addresses = addresses == null ? "" : addresses;
    }

    public String getLabels() {
        return labels;
    }

    public void setLabels(String labels) {
        this.labels = labels == null ? "" : labels;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public String getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(String refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
