package io.caravan.logs.process;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.ResourceHelper;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

@UriEndpoint(scheme = "loki-process", title = "Loki process stages", syntax = "loki-process:name", producerOnly = true,
        category = Category.MONITORING)
public class ProcessEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the pipeline, for logs and the UI")
    private final String name;
    @UriParam(description = "YAML file with a list of stages in Alloy's names (classpath:, file: or a path); "
            + "Camel placeholders such as {{env:NODE_NAME}} are resolved in its string values")
    private String stages;

    private Pipeline loaded;

    public ProcessEndpoint(String uri, ProcessComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    /** The file is read when the endpoint is created, so a bad stage fails validate and start-up. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        loaded = load();
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
        String uri = stages.startsWith("classpath:") || stages.startsWith("file:") ? stages : "file:" + stages;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(getCamelContext(), uri)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Pipeline.parse(text, stages, name, meterRegistry(), getCamelContext()::resolvePropertyPlaceholders);
        }
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry r = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return r != null ? r : Metrics.globalRegistry;
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
}
