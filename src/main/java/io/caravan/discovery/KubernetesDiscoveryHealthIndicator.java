package io.caravan.discovery;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.List;

/**
 * Discovery health for actuator: UP when every k8s-discovery endpoint has synced and has no current error,
 * UNKNOWN otherwise (no API server yet or any more, RBAC missing), with each endpoint's status as details. Never DOWN: a node agent
 * without a cluster still tails files and serves node metrics, so readiness must not fail for it.
 */
public class KubernetesDiscoveryHealthIndicator implements HealthIndicator {

    private final CamelContext camelContext;

    public KubernetesDiscoveryHealthIndicator(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public Health health() {
        // hasComponent: look, but do not create the component just to report on it
        Component component = camelContext.hasComponent(KubernetesDiscoveryComponent.SCHEME);
        List<DiscoveryStatus> statuses = component instanceof KubernetesDiscoveryComponent k ? k.getStatuses() : List.of();
        Health.Builder health = statuses.stream().allMatch(s -> s.synced() && s.lastError() == null) ? Health.up() : Health.unknown();
        health.withDetail("endpoints", statuses.size());
        for (DiscoveryStatus s : statuses) {
            health.withDetail(s.endpoint(), s.toMap());
        }
        return health.build();
    }
}
