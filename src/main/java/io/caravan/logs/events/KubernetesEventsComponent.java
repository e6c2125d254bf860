package io.caravan.logs.events;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.RunningConsumers;
import org.apache.camel.Endpoint;

import java.util.List;
import java.util.Map;

/** {@code k8s-events:NAME}: the cluster's Kubernetes events as log entries (Alloy's loki.source.kubernetes_events). */
public class KubernetesEventsComponent extends CaravanComponent {

    public static final String SCHEME = "k8s-events";

    private final RunningConsumers<KubernetesEventsConsumer> consumers = new RunningConsumers<>(KubernetesEventsConsumer::status);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KubernetesEventsEndpoint endpoint = new KubernetesEventsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    void register(KubernetesEventsConsumer c) {
        consumers.add(c);
    }

    void unregister(KubernetesEventsConsumer c) {
        consumers.remove(c);
    }

    /** One status per running endpoint: each scope's state, cursor and count, the handover Lease. */
    @Override
    public List<ComponentStatus> statuses() {
        return consumers.statuses();
    }
}
