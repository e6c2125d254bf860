package io.caravan.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leadership of master: groups through coordination.k8s.io/v1 Leases {@code leaders-<group>} (the names Camel's
 * Kubernetes cluster service used) in one namespace, decided by the Lease alone: its renewTime and
 * leaseDurationSeconds. Camel's own service also treated a holder as valid while its pod was listed Ready, so a leader
 * killed with its pod still Ready was never replaced; this one needs no pod list and no RBAC on pods.
 */
public final class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterView> {

    static final String LEASE_PREFIX = "leaders-";

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final LeaseTiming timing;
    private final Map<String, LeaseClusterView> views = new ConcurrentHashMap<>();

    /**
     * @param client   the agent's client; the election calls through it with its own request timeout and no retries
     *                 (a hidden retry would outlast the renew deadline). It stays the caller's to close.
     * @param identity this agent in the Lease's holderIdentity: the pod name
     */
    public LeaseClusterService(KubernetesClient client, String namespace, String identity, LeaseTiming timing) {
        this.client = client.newClient(new RequestConfigBuilder()
                .withRequestTimeout((int) timing.requestTimeout().toMillis())
                .withRequestRetryBackoffLimit(0)
                .build()).adapt(KubernetesClient.class);
        this.namespace = namespace;
        this.identity = identity;
        this.timing = timing;
        setId("lease-cluster-service");
    }

    @Override
    protected LeaseClusterView createView(String group) {
        return views.computeIfAbsent(group, g -> new LeaseClusterView(this, g, leaseName(g)));
    }

    /**
     * After the routes (Camel stops its services after them): every view has stopped, the sources they led have
     * stopped, and now each Lease that names this agent is handed on, so the next leader need not wait for it to expire.
     */
    @Override
    protected void doStop() throws Exception {
        super.doStop();
        views.values().forEach(LeaseClusterView::release);
    }

    /** The view of a group, without taking a reference to it (which would start it): for health, metrics and the UI. */
    public Optional<LeaseClusterView> existingView(String group) {
        return Optional.ofNullable(views.get(group));
    }

    /** {@code leaders-<group>} as a valid object name, as Camel's Kubernetes cluster service named it. */
    static String leaseName(String group) {
        String name = (LEASE_PREFIX + group).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-.]", "-");
        return name.replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    }

    KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public String identity() {
        return identity;
    }

    public LeaseTiming timing() {
        return timing;
    }
}
