package io.caravan.discovery;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.ReloadAware;
import io.caravan.component.RunningConsumers;
import org.apache.camel.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * {@code static-targets:NAME}: a fixed target list, from the URI ({@code addresses=}) or from a file that an
 * operator edits (re-read when it changes), like Alloy's static target arrays and Prometheus' file_sd.
 */
public class StaticTargetsComponent extends CaravanComponent implements ReloadAware {

    static final String SCHEME = "static-targets";

    private final RunningConsumers<StaticTargetsConsumer> consumers = new RunningConsumers<>(StaticTargetsConsumer::status);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StaticTargetsEndpoint endpoint = new StaticTargetsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private volatile java.util.Set<String> replacedRoutes = java.util.Set.of();

    /** A consumer whose route a reload replaces keeps its targets: the new route's take over, no loop need stop. */
    @Override
    public void beginReload(java.util.Set<String> replacedRoutes) {
        this.replacedRoutes = java.util.Set.copyOf(replacedRoutes);
    }

    @Override
    public void endReload() {
        replacedRoutes = java.util.Set.of();
    }

    /** Whether a reload is replacing this route. */
    boolean replacedByReload(String routeId) {
        return routeId != null && replacedRoutes.contains(routeId);
    }

    void register(StaticTargetsConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(StaticTargetsConsumer consumer) {
        consumers.remove(consumer);
    }

    @Override
    public List<ComponentStatus> statuses() {
        return consumers.statuses();
    }
}
