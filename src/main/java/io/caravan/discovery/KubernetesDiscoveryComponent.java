package io.caravan.discovery;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.Endpoint;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code k8s-discovery:pod|node}: Prometheus kubernetes_sd on fabric8 informers, one per role and selection
 * shared by every consumer that asks for it ({@link SharedInformer}), on the kit's {@link KubernetesClient}
 * (the agent's one client).
 */
public class KubernetesDiscoveryComponent extends CaravanComponent {

    public static final String SCHEME = "k8s-discovery";
    private final Set<KubernetesDiscoveryConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Map<SharedInformer.Key, SharedInformer> informers = new HashMap<>(); // guarded by this

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KubernetesDiscoveryEndpoint endpoint = new KubernetesDiscoveryEndpoint(uri, this, DiscoveryRole.fromUri(remaining));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /**
     * Every running consumer, named by its URI (several share a role): UP once its informers have listed and nothing is wrong; UNKNOWN before that or while
     * the API server cannot be used (never DOWN: a node agent without a cluster still tails files and serves node
     * metrics, and restarting it would not bring the API server back).
     */
    @Override
    public List<ComponentStatus> statuses() {
        return getStatuses().stream().map(KubernetesDiscoveryComponent::toStatus).toList();
    }

    private static ComponentStatus toStatus(DiscoveryStatus s) {
        boolean up = s.synced() && s.lastError() == null;
        String state = s.lastKnownSavedAt() != null
                ? "last known targets, " + s.lastKnownAge(Instant.now()).toSeconds() + " s old (saved " + s.lastKnownSavedAt() + ")"
                : s.lastError() != null ? "failing" : !s.synced() ? "listing" : s.watching() ? "watching" : "synced";
        return new ComponentStatus(SCHEME, s.endpoint(), s.endpoint(), up ? ComponentStatus.Health.UP : ComponentStatus.Health.UNKNOWN,
                state, List.of(), null, s.lastError(), s.lastErrorAt(), s.toMap());
    }

    /** The status of every running k8s-discovery consumer, ordered by endpoint URI. */
    public List<DiscoveryStatus> getStatuses() {
        return consumers.stream().map(KubernetesDiscoveryConsumer::status)
                .sorted(Comparator.comparing(DiscoveryStatus::endpoint)).toList();
    }

    void register(KubernetesDiscoveryConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(KubernetesDiscoveryConsumer consumer) {
        consumers.remove(consumer);
    }

    /**
     * The informer of this role and selection, shared with every consumer that asks for the same: created and
     * started for the first subscriber. Throws when the client cannot be built or cannot build the request.
     */
    synchronized SharedInformer subscribe(SharedInformer.Key key, SharedInformer.Subscriber subscriber) {
        SharedInformer informer = informers.get(key);
        if (informer != null) {
            informer.subscribe(subscriber);
            return informer;
        }
        informer = new SharedInformer(key, kubernetesClient());
        informer.subscribe(subscriber); // before the start, so the first subscriber hears everything
        informer.start();
        informers.put(key, informer);
        return informer;
    }

    /** Stops the shared informer with its last subscriber: a route started later lists and watches anew. */
    synchronized void unsubscribe(SharedInformer.Key key, SharedInformer informer, SharedInformer.Subscriber subscriber) {
        if (informer.unsubscribe(subscriber)) {
            informers.remove(key, informer);
            informer.stop();
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        informers.values().forEach(SharedInformer::stop); // none left once every consumer has stopped
        informers.clear();
        super.doStop();
    }
}
