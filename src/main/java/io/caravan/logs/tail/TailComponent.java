package io.caravan.logs.tail;

import io.caravan.component.ComponentStatus;
import io.caravan.logs.LogSourceComponent;
import org.apache.camel.Endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tail:NAME?path=GLOB}: follows files from a stored position, like Alloy's local.file_match +
 * loki.source.file. Consumer only; emits {@code List<LogEntry>} batches, one file per batch.
 */
public class TailComponent extends LogSourceComponent {

    public static final String SCHEME = "tail";

    private final Set<TailConsumer> consumers = ConcurrentHashMap.newKeySet();

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
        return consumers.stream().map(TailConsumer::status).sorted(Comparator.comparing(ComponentStatus::uri)).toList();
    }
}
