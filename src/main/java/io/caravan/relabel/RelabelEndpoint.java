package io.caravan.relabel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;


@UriEndpoint(scheme = "relabel", title = "Prometheus relabeling", syntax = "relabel:name", producerOnly = true,
        category = Category.MONITORING)
public class RelabelEndpoint extends DefaultEndpoint implements io.caravan.component.ReadsFiles {

    @Override
    public RelabelComponent getComponent() {
        return (RelabelComponent) super.getComponent();
    }

    @UriPath(description = "Name of the rule set, for logs and the UI")
    private final String name;
    @UriParam(description = "YAML file with a list of relabel_configs (classpath:, file: or a path); "
            + "Camel placeholders such as {{env:NODE_NAME}} are resolved in it")
    private String rules;

    public RelabelEndpoint(String uri, RelabelComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    private RelabelRules loaded;

    /** Rules are read when the endpoint is created, so a bad rule fails validate and start-up, never a running pipeline. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        loaded = loadRules();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new RelabelProducer(this, loaded != null ? loaded : loadRules());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("relabel:" + name + " is a step: use it in 'to'");
    }

    RelabelRules loadRules() throws Exception {
        if (rules == null || rules.isBlank()) {
            throw new IllegalArgumentException("relabel:" + name + " needs rules=FILE (a YAML list of relabel_configs)");
        }
        return RelabelRules.parse(getComponent().readResource("relabel:" + name + " rules", rules), rules);
    }

    public String getName() {
        return name;
    }

    @Override
    public java.util.List<String> files() {
        return rules == null || rules.isBlank() ? java.util.List.of() : java.util.List.of(rules);
    }

    public String getRules() {
        return rules;
    }

    public void setRules(String rules) {
        this.rules = rules;
    }
}
