package io.caravan.logs.tail;

import io.caravan.component.ComponentStatus;
import io.caravan.component.RunningConsumers;
import io.caravan.logs.LogSourceComponent;
import org.apache.camel.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * {@code tail:NAME?path=GLOB}: follows files from a stored position, like Alloy's local.file_match +
 * loki.source.file. Consumer only; emits {@code List<LogEntry>} batches, one file per batch.
 */
public class TailComponent extends LogSourceComponent {

    public static final String SCHEME = "tail";

    private final RunningConsumers<TailConsumer> consumers = new RunningConsumers<>(TailConsumer::status);

    public TailComponent() {
        super(SCHEME);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TailEndpoint endpoint = new TailEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    void register(TailConsumer c) {
        consumers.add(c);
    }

    void unregister(TailConsumer c) {
        consumers.remove(c);
    }

    /** One status per running tail endpoint: its files, their positions and lag, its last error. */
    @Override
    public List<ComponentStatus> statuses() {
        return consumers.statuses();
    }
}
