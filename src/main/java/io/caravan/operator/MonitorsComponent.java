package io.caravan.operator;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.RunningConsumers;
import org.apache.camel.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * {@code k8s-monitors:NAME}: prometheus-operator's ServiceMonitors and PodMonitors as scrape jobs of this agent, each
 * job two routes like the shipped scrape jobs (discovery, relabel, scrape; the samples to a sink), made, replaced and
 * removed as the monitors change.
 */
public class MonitorsComponent extends CaravanComponent {

    public static final String SCHEME = "k8s-monitors";

    private final RunningConsumers<MonitorsConsumer> consumers = new RunningConsumers<>(MonitorsConsumer::status);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MonitorsEndpoint endpoint = new MonitorsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    void register(MonitorsConsumer c) {
        consumers.add(c);
    }

    void unregister(MonitorsConsumer c) {
        consumers.remove(c);
    }

    /** One status per running endpoint: each monitor endpoint's job, running or not and why. */
    @Override
    public List<ComponentStatus> statuses() {
        return consumers.statuses();
    }
}
