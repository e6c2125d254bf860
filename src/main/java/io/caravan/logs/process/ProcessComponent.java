package io.caravan.logs.process;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import org.apache.camel.Endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code loki-process:NAME?stages=FILE}: Alloy's loki.process as a route step. The body is a
 * {@code List<LogEntry>}; the stages of FILE run over it and the body becomes what is left.
 */
public class ProcessComponent extends CaravanComponent {

    // its own list rather than Camel's endpoint registry: an endpoint whose file failed to load is reported too
    private final Map<String, ProcessEndpoint> endpoints = new ConcurrentHashMap<>();
    private ScheduledExecutorService releaseTimer;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ProcessEndpoint endpoint = new ProcessEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoints.put(uri, endpoint);
        return endpoint;
    }

    /** One thread for all endpoints, that looks for held entries whose time is up ({@link HeldEntriesRelease}). */
    synchronized ScheduledExecutorService releaseTimer() {
        if (releaseTimer == null || releaseTimer.isShutdown()) {
            releaseTimer = scheduledPool("loki-process-release", 1);
        }
        return releaseTimer;
    }

    void removed(ProcessEndpoint endpoint) {
        endpoints.remove(endpoint.getEndpointUri(), endpoint);
    }

    /** One status per loki-process endpoint, by name: its stage file, its stages, and the last thing that failed. */
    @Override
    public List<ComponentStatus> statuses() {
        return endpoints.values().stream().map(ProcessEndpoint::status)
                .sorted(Comparator.comparing(ComponentStatus::name).thenComparing(ComponentStatus::uri)).toList();
    }
}
