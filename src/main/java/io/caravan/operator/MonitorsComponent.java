package io.caravan.operator;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import org.apache.camel.Endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code k8s-monitors:NAME}: prometheus-operator's ServiceMonitors and PodMonitors as scrape jobs of this agent, each
 * job two routes like the shipped scrape jobs (discovery, relabel, scrape; the samples to a sink), made, replaced and
 * removed as the monitors change.
 */
public class MonitorsComponent extends CaravanComponent {

    public static final String SCHEME = "k8s-monitors";

    private final Set<MonitorsConsumer> consumers = ConcurrentHashMap.newKeySet();

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
        return consumers.stream().map(MonitorsConsumer::status).sorted(Comparator.comparing(ComponentStatus::uri)).toList();
    }
}
