package io.caravan.canary;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.RunningConsumers;
import org.apache.camel.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * {@code canary:NAME}: the read-back canary. Every interval it sends a marker (a sample, or a log line) down its route
 * to a sink, and asks the store behind that sink, through its query API, whether the marker arrived: what no agent
 * tells an operator, whether what it sent is there to be read, per sink and data centre.
 */
public class CanaryComponent extends CaravanComponent {

    private final RunningConsumers<CanaryConsumer> consumers = new RunningConsumers<>(CanaryConsumer::status);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CanaryEndpoint endpoint = new CanaryEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    void register(CanaryConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(CanaryConsumer consumer) {
        consumers.remove(consumer);
    }

    @Override
    public List<ComponentStatus> statuses() {
        return consumers.statuses();
    }
}
