package io.caravan.logs.pods;

import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Pollers;
import io.caravan.logs.SourceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pod-logs:NAME}: the logs of the containers that discovery reports. As a producer ({@code to}) it takes
 * the {@code List<Target>} (after relabeling) and follows one log per container; as a consumer ({@code from}) it
 * emits {@code List<LogEntry>} batches with the target's public labels. Files under /var/log/pods by default (a
 * DaemonSet's way); {@code mode=api} streams through the API server as the seed's loki.source.kubernetes does.
 */
public class PodLogsComponent extends DefaultComponent {

    public static final String SCHEME = "pod-logs";
    private static final Logger LOG = LoggerFactory.getLogger(PodLogsComponent.class);

    @Metadata(description = "Directory for positions files; default CARAVAN_DATA_DIR, else ./data")
    private String dataDir;
    @Metadata(description = "The client for mode=api; by default the single KubernetesClient in the registry")
    private KubernetesClient kubernetesClient;
    private boolean ownsClient;
    private Pollers pollers;
    private final Map<String, PodLogsJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();

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
        if (pollers != null) {
            pollers.shutdown();
            pollers = null;
        }
        synchronized (this) {
            if (ownsClient && kubernetesClient != null) {
                kubernetesClient.close();
                kubernetesClient = null;
                ownsClient = false;
            }
        }
        super.doStop();
    }

    synchronized PodLogsJob job(String name, String endpointUri) {
        if (pollers == null) {
            pollers = new Pollers(getCamelContext(), this, "pod-logs");
        }
        endpoints.putIfAbsent(name, endpointUri);
        return jobs.computeIfAbsent(name, n -> new PodLogsJob(n, LogSourceMetrics.of(getCamelContext(), SCHEME, n), pollers));
    }

    /** Every pod-logs source: containers followed, positions, lag and last error; for the UI. */
    public List<SourceStatus> getStatuses() {
        List<SourceStatus> out = new ArrayList<>();
        jobs.forEach((name, job) -> out.add(job.status(endpoints.getOrDefault(name, SCHEME + ":" + name))));
        out.sort(Comparator.comparing(SourceStatus::endpoint));
        return out;
    }

    public synchronized KubernetesClient getKubernetesClient() {
        if (kubernetesClient == null) {
            kubernetesClient = getCamelContext().getRegistry().findSingleByType(KubernetesClient.class);
            if (kubernetesClient == null) {
                kubernetesClient = new KubernetesClientBuilder().build();
                ownsClient = true;
                LOG.info("pod-logs: no KubernetesClient in the registry, using its own for {}", kubernetesClient.getMasterUrl());
            }
        }
        return kubernetesClient;
    }

    public synchronized void setKubernetesClient(KubernetesClient kubernetesClient) {
        this.kubernetesClient = kubernetesClient;
        this.ownsClient = false;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
