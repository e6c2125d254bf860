package io.caravan.logs.pods;

import io.caravan.component.ComponentStatus;
import io.caravan.logs.LogSourceComponent;
import org.apache.camel.Endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pod-logs:NAME}: the logs of the containers that discovery reports. As a producer ({@code to}) it takes
 * the {@code List<Target>} (after relabeling) and follows one log per container; as a consumer ({@code from}) it
 * emits {@code List<LogEntry>} batches with the target's public labels. Files under /var/log/pods by default (a
 * DaemonSet's way); {@code mode=api} streams through the API server ({@link #kubernetesClient()}) as the seed's
 * loki.source.kubernetes does.
 */
public class PodLogsComponent extends LogSourceComponent {

    public static final String SCHEME = "pod-logs";

    private final Map<String, PodLogsJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();

    public PodLogsComponent() {
        super(SCHEME);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PodLogsEndpoint endpoint = new PodLogsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStop() throws Exception {
        for (PodLogsJob job : jobs.values()) {
            job.stopAll();
        }
        jobs.clear();
        super.doStop(); // then the pollers, the client if it is ours, Camel's executors
    }

    PodLogsJob job(String name, String endpointUri) {
        endpoints.putIfAbsent(name, endpointUri);
        return jobs.computeIfAbsent(name, n -> new PodLogsJob(n, metrics(n), pollers()));
    }

    /** One status per pod-logs source: its containers, their positions and lag, targets it skipped, its last error. */
    @Override
    public List<ComponentStatus> statuses() {
        List<ComponentStatus> out = new ArrayList<>();
        jobs.forEach((name, job) -> out.add(job.status(uri(name))));
        out.sort(Comparator.comparing(ComponentStatus::uri));
        return out;
    }

    private String uri(String name) {
        return endpoints.getOrDefault(name, SCHEME + ":" + name);
    }
}
