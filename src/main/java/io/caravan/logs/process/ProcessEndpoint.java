package io.caravan.logs.process;

import io.caravan.component.ComponentStatus;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@UriEndpoint(scheme = "loki-process", title = "Loki process stages", syntax = "loki-process:name", producerOnly = true,
        category = Category.MONITORING)
public class ProcessEndpoint extends DefaultEndpoint implements io.caravan.component.ReadsFiles {

    @UriPath(description = "Name of the pipeline, for logs and the UI")
    private final String name;
    @UriParam(description = "YAML file with a list of stages in Alloy's names (classpath:, file: or a path); "
            + "Camel placeholders such as {{env:NODE_NAME}} are resolved in its string values")
    private String stages;

    private volatile Pipeline loaded;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public ProcessEndpoint(String uri, ProcessComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public ProcessComponent getComponent() {
        return (ProcessComponent) super.getComponent();
    }

    /** The file is read when the endpoint is created, so a bad stage fails validate and start-up. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        try {
            loaded = load();
        } catch (Exception e) {
            failed(e);
            throw e;
        }
    }

    @Override
    protected void doShutdown() throws Exception {
        getComponent().removed(this);
        super.doShutdown();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new ProcessProducer(this, loaded != null ? loaded : load());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("loki-process:" + name + " is a step: use it in 'to'");
    }

    Pipeline load() throws Exception {
        if (stages == null || stages.isBlank()) {
            throw new IllegalArgumentException("loki-process:" + name + " needs stages=FILE (a YAML list of stages)");
        }
        String text = getComponent().readResourceVerbatim("loki-process:" + name + " stages", stages);
        return Pipeline.parse(text, stages, name, getComponent().meters(), getCamelContext()::resolvePropertyPlaceholders);
    }

    /** Something went wrong loading the file or running the stages: kept for the status. */
    void failed(Exception e) {
        lastError = e.getMessage() != null ? e.getMessage() : e.toString();
        lastErrorAt = Instant.now();
    }

    ComponentStatus status() {
        Pipeline p = loaded;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("stagesFile", stages);
        if (p != null) {
            details.put("stageCount", p.size());
            details.put("stages", p.stageNames());
        }
        ComponentStatus.Health health = p != null ? ComponentStatus.Health.UP
                : lastError != null ? ComponentStatus.Health.DOWN : ComponentStatus.Health.UNKNOWN;
        String state = p != null ? "ok" : lastError != null ? "failed" : "not loaded";
        return new ComponentStatus("loki-process", name, getEndpointUri(), health, state, List.of(), null,
                lastError, lastErrorAt, details);
    }

    public String getName() {
        return name;
    }

    public String getStages() {
        return stages;
    }

    public void setStages(String stages) {
        this.stages = stages;
    }

    @Override
    public java.util.List<String> files() {
        return stages == null || stages.isBlank() ? java.util.List.of() : java.util.List.of(stages);
    }
}
