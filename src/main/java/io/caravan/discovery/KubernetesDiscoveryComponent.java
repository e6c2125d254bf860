package io.caravan.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code k8s-discovery:pod|node}: Prometheus kubernetes_sd on fabric8 informers, one per role and selection
 * shared by every consumer that asks for it ({@link SharedInformer}). Uses the one
 * {@link KubernetesClient} in the registry (the agent's one client), and builds its own
 * only where there is none (plain Camel, tests).
 */
public class KubernetesDiscoveryComponent extends DefaultComponent {

    public static final String SCHEME = "k8s-discovery";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscoveryComponent.class);

    @Metadata(description = "The client to use; by default the single KubernetesClient in the registry")
    private KubernetesClient kubernetesClient;
    private boolean ownsClient;
    private final Set<KubernetesDiscoveryConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Map<SharedInformer.Key, SharedInformer> informers = new HashMap<>(); // guarded by this

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KubernetesDiscoveryEndpoint endpoint = new KubernetesDiscoveryEndpoint(uri, this, DiscoveryRole.fromUri(remaining));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The status of every running k8s-discovery consumer, ordered by endpoint URI: what the UI shows. */
    public List<DiscoveryStatus> getStatuses() {
        return consumers.stream().map(KubernetesDiscoveryConsumer::status)
                .sorted(Comparator.comparing(DiscoveryStatus::endpoint)).toList();
    }

    public synchronized KubernetesClient getKubernetesClient() {
        if (kubernetesClient == null) {
            kubernetesClient = getCamelContext().getRegistry().findSingleByType(KubernetesClient.class);
            if (kubernetesClient == null) {
                // fabric8's own auto-configuration: service account in a pod, else kubeconfig, else KUBERNETES_MASTER
                kubernetesClient = new KubernetesClientBuilder().build();
                ownsClient = true;
                LOG.info("k8s-discovery: no KubernetesClient in the registry, using its own for {}", kubernetesClient.getMasterUrl());
            }
        }
        return kubernetesClient;
    }

    public synchronized void setKubernetesClient(KubernetesClient kubernetesClient) {
        this.kubernetesClient = kubernetesClient;
        this.ownsClient = false;
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
        informer = new SharedInformer(key, getKubernetesClient());
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
        if (ownsClient && kubernetesClient != null) {
            kubernetesClient.close();
            kubernetesClient = null;
            ownsClient = false;
        }
        super.doStop();
    }
}
