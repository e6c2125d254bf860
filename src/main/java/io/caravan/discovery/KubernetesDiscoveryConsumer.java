package io.caravan.discovery;

import io.caravan.component.RouteHandOff;
import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the endpoint's objects through the component's {@link SharedInformer} of its role's kind and selection (and
 * of the related kinds the role borrows labels from: {@link DiscoveryRole#watches}), and emits the endpoint's whole
 * target list, sorted, each time any of them changes. Events are coalesced for {@code debounce};
 * a list equal to the last one is not emitted, so informer resyncs and no-op updates cost nothing downstream.
 * <p>
 * The API server may be missing or refuse us: start-up never waits for it and never fails because of it.
 * Informers retry with fabric8's backoff, and {@link #status()} says what is wrong.
 */
public class KubernetesDiscoveryConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscoveryConsumer.class);

    private final KubernetesDiscoveryEndpoint endpoint;
    private final DiscoveryRole role;
    private final RoleOptions options;
    private final Map<WatchedKind, Subscriber> subscribers = new LinkedHashMap<>();
    // null while stopped, or when the client could not make them; the role's own kind first
    private volatile Map<WatchedKind, SharedInformer> informers;
    private KubernetesClient client;
    private int watchDownChecks; // on the executor only
    private volatile boolean errorBeforeSync; // the last error was a list that failed before the first sync
    private final AtomicBoolean emissionScheduled = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private long debounceMillis;
    private String masterUrl = "?";
    private DiscoveryMetrics metrics;

    private LastKnownTargets lastKnown; // null unless node-local with lastKnownTargets
    private volatile LastKnownTargets.Saved saved; // what lastKnown held at start; null when nothing
    private volatile Instant lastKnownSavedAt; // while the emitted list is the one from disk: when it was saved
    private volatile List<Target> lastEmitted;
    private volatile Instant lastEmittedAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public KubernetesDiscoveryConsumer(KubernetesDiscoveryEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.role = endpoint.getRole();
        this.options = endpoint.roleOptions();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        debounceMillis = endpoint.debounceMillis();
        metrics = new DiscoveryMetrics(endpoint.getComponent().meters(), role.uriName());
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "k8s-discovery-" + role.uriName());
        endpoint.getComponent().register(this);
        if (endpoint.keepsLastKnownTargets()) {
            lastKnown = new LastKnownTargets(endpoint.getComponent().dataDir(), endpoint.getEndpointUri());
            saved = lastKnown.load().orElse(null);
            if (saved != null) {
                executor.schedule(this::useLastKnown, endpoint.lastKnownAfterMillis(), TimeUnit.MILLISECONDS);
            }
        }
        try {
            client = endpoint.getComponent().kubernetesClient();
            masterUrl = String.valueOf(client.getMasterUrl());
            informers = subscribeAll();
            // a sync heard inside subscribe found no informer to read yet; an emission with nothing new is skipped
            scheduleEmission(0);
            executor.scheduleWithFixedDelay(this::checkWatches, WATCH_CHECK_MILLIS, WATCH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // A broken kubeconfig or client must not stop the agent: report it like an unreachable server.
            recordError(e, role.resource(), "cluster-wide");
        }
    }

    /** Subscribes to every informer the role reads; all or none (a failure unsubscribes those already taken). */
    private Map<WatchedKind, SharedInformer> subscribeAll() {
        Map<WatchedKind, SharedInformer> subscribed = new LinkedHashMap<>();
        try {
            for (Map.Entry<WatchedKind, DiscoveryRole.Selection> w : role.watches(endpoint.selection(), options).entrySet()) {
                Subscriber subscriber = new Subscriber(w.getKey(), new SharedInformer.Key(w.getKey(), w.getValue()));
                subscribers.put(w.getKey(), subscriber);
                subscribed.put(w.getKey(), endpoint.getComponent().subscribe(subscriber.key, subscriber));
            }
            return Collections.unmodifiableMap(subscribed);
        } catch (RuntimeException e) {
            unsubscribeAll(subscribed);
            throw e;
        }
    }

    private void unsubscribeAll(Map<WatchedKind, SharedInformer> subscribed) {
        subscribed.forEach((kind, informer) -> {
            Subscriber subscriber = subscribers.get(kind);
            endpoint.getComponent().unsubscribe(subscriber.key, informer, subscriber);
        });
        subscribers.clear();
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        Map<WatchedKind, SharedInformer> shared = informers;
        informers = null;
        if (shared != null) {
            unsubscribeAll(shared);
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        lastEmitted = null; // a restarted route gets the full list again
        lastKnownSavedAt = null;
        saved = null;
        super.doStop();
    }

    public DiscoveryStatus status() {
        List<Target> emitted = lastEmitted;
        Map<WatchedKind, SharedInformer> shared = informers;
        return new DiscoveryStatus(endpoint.getEndpointUri(), getRouteId(), role.uriName(), allSynced(shared),
                shared != null && shared.values().stream().allMatch(SharedInformer::isWatching),
                emitted == null ? 0 : emitted.size(), lastError, lastErrorAt, lastEmittedAt, lastKnownSavedAt);
    }

    private static final long WATCH_CHECK_MILLIS = 2000;

    /**
     * fabric8 reconnects a broken watch by itself, forever, and tells nobody: with the API server gone the targets
     * would silently freeze. A watch down at two checks in a row (a routine re-watch takes milliseconds) with no error
     * reported is reported and counted, with the reason a cheap GET /version gives. Any error is cleared once every
     * informer has listed and watches again (fabric8 does not say when a failing watch recovers either).
     */
    private void checkWatches() {
        try {
            Map<WatchedKind, SharedInformer> shared = informers; // read once: doStop may clear it meanwhile
            if (!allSynced(shared)) {
                watchDownChecks = 0; // list failures go through the exception handler
                return;
            }
            String scope = null;
            WatchedKind down = null;
            for (Map.Entry<WatchedKind, SharedInformer> e : shared.entrySet()) {
                scope = e.getValue().scopeNotWatching();
                if (scope != null) {
                    down = e.getKey();
                    break;
                }
            }
            if (scope == null) {
                watchDownChecks = 0;
                clearError(shared);
                return;
            }
            if (++watchDownChecks < 2 || lastError != null) {
                return; // not down for long yet, or fabric8 said why already
            }
            try {
                client.getKubernetesVersion();
            } catch (RuntimeException unreachable) {
                recordError(unreachable, down.resource(), scope);
                return;
            }
            metrics.error("watch_lost");
            recordText("the watch on " + down.resource() + " " + scope + " is down though the API server at " + masterUrl
                    + " answers; reconnecting, and until then the last known targets are kept");
        } catch (RuntimeException e) {
            LOG.debug("{}: watch check failed", endpoint.getEndpointUri(), e);
        }
    }

    /** Called with every informer synced: an error is over when every watch is up, or when it was a list before the sync. */
    private void clearError(Map<WatchedKind, SharedInformer> shared) {
        if (lastError != null && (errorBeforeSync || shared.values().stream().allMatch(SharedInformer::isWatching))) {
            LOG.info("{}: listing and watching {} again", endpoint.getEndpointUri(), role.resource());
            lastError = null;
            lastErrorAt = null;
            errorBeforeSync = false;
        }
    }

    private void runOnExecutor(Runnable task) {
        ScheduledExecutorService ex = executor;
        if (ex != null) {
            try {
                ex.execute(task);
            } catch (RejectedExecutionException stopping) {
                // stopping: nothing to fall back for
            }
        }
    }

    private void scheduleEmission(long delayMillis) {
        ScheduledExecutorService ex = executor;
        if (ex == null || !emissionScheduled.compareAndSet(false, true)) {
            return; // stopped, or an emission is already due and will see this change too
        }
        try {
            ex.schedule(this::emitIfChanged, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            emissionScheduled.set(false);
        }
    }

    private void emitIfChanged() {
        emissionScheduled.set(false); // changes from now on schedule the next emission
        try {
            Map<WatchedKind, SharedInformer> shared = informers;
            if (!allSynced(shared)) {
                return; // a partial list would make targets vanish and come back; sync completion reschedules
            }
            clearError(shared); // before the emission, so whoever sees the new targets sees no stale error
            List<Target> targets = currentTargets(shared);
            if (lastKnownSavedAt != null) {
                LOG.info("{}: listed from the API server again: {} targets replace the {} last known", endpoint.getEndpointUri(),
                        targets.size(), lastEmitted.size());
                lastKnownSavedAt = null;
            }
            saved = null; // the API server answered: the list on disk is no fallback for this run any more
            if (targets.equals(lastEmitted)) {
                return;
            }
            lastEmitted = targets;
            lastEmittedAt = Instant.now();
            emit(targets);
            if (lastKnown != null) {
                lastKnown.save(targets, lastEmittedAt);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: cannot build the target list", endpoint.getEndpointUri(), e);
        }
    }

    /**
     * The start's fallback: when the API server has not given a list by now (lastKnownAfter, or its first list just
     * failed), emit the list saved by the last run, and say so in the log and the status until a list replaces it.
     */
    private void useLastKnown() {
        LastKnownTargets.Saved fallback = saved;
        if (fallback == null || lastEmitted != null || allSynced(informers) || !isRunAllowed()) {
            return;
        }
        saved = null;
        LOG.warn("{}: no target list from the API server yet{}; using the {} targets last known at {} (from {}) until it answers",
                endpoint.getEndpointUri(), lastError == null ? "" : " (" + lastError + ")", fallback.targets().size(),
                fallback.savedAt(), lastKnown.file());
        lastKnownSavedAt = fallback.savedAt();
        lastEmitted = fallback.targets();
        lastEmittedAt = Instant.now();
        emit(fallback.targets());
    }

    private static boolean allSynced(Map<WatchedKind, SharedInformer> shared) {
        return shared != null && !shared.isEmpty() && shared.values().stream().allMatch(SharedInformer::hasSynced);
    }

    private List<Target> currentTargets(Map<WatchedKind, SharedInformer> shared) {
        RelatedObjects related = new CachedObjects(shared);
        List<Target> targets = new ArrayList<>();
        for (HasMetadata object : shared.get(role.kind()).objects()) {
            try {
                targets.addAll(role.targets(object, related, options));
            } catch (RuntimeException e) {
                // one odd object must not hide the others
                metrics.error("bad_object");
                LOG.warn("{}: skipping {} {}: {}", endpoint.getEndpointUri(), object.getKind(),
                        object.getMetadata() == null ? "?" : object.getMetadata().getName(), e.toString());
            }
        }
        targets.sort(Comparator.comparing(Target::labels));
        return List.copyOf(targets);
    }

    private void emit(List<Target> targets) {
        RouteHandOff.emit(this, targets, Map.of(), endpoint.getEndpointUri());
    }

    private void recordError(Throwable error, String resource, String scope) {
        String text = ApiServerErrors.describe(error, masterUrl, resource, scope);
        metrics.error(ApiServerErrors.reason(error));
        recordText(text);
    }

    private void recordText(String text) {
        if (!text.equals(lastError)) {
            LOG.warn("{}: {}", endpoint.getEndpointUri(), text);
        }
        lastError = text;
        lastErrorAt = Instant.now();
    }

    /** The related objects, from the caches of the informers this consumer reads. */
    private record CachedObjects(Map<WatchedKind, SharedInformer> informers) implements RelatedObjects {
        @Override
        public Service service(String namespace, String name) {
            return (Service) find(WatchedKind.SERVICES, namespace, name);
        }

        @Override
        public Pod pod(String namespace, String name) {
            return (Pod) find(WatchedKind.PODS, namespace, name);
        }

        @Override
        public Node node(String name) {
            return (Node) find(WatchedKind.NODES, null, name);
        }

        private HasMetadata find(WatchedKind kind, String namespace, String name) {
            SharedInformer informer = informers.get(kind);
            return informer == null ? null : informer.find(namespace, name);
        }
    }

    /** This consumer's side of one shared informer: its own error, status and debounced emission. */
    private final class Subscriber implements SharedInformer.Subscriber {
        private final WatchedKind kind;
        private final SharedInformer.Key key;

        Subscriber(WatchedKind kind, SharedInformer.Key key) {
            this.kind = kind;
            this.key = key;
        }

        @Override
        public void changed() {
            scheduleEmission(debounceMillis);
        }

        @Override
        public void synced(String scope) {
            LOG.info("{}: {} {} listed, watching", endpoint.getEndpointUri(), kind.resource(), scope);
            lastError = null;
            lastErrorAt = null;
            scheduleEmission(0); // the first list may be empty, and then no event would announce it
        }

        @Override
        public void failed(Throwable error, String scope, boolean started) {
            if (isRunAllowed()) {
                recordError(error, kind.resource(), scope);
                errorBeforeSync = !started;
                if (!started && saved != null) {
                    runOnExecutor(KubernetesDiscoveryConsumer.this::useLastKnown); // no need to wait: the list failed
                }
            }
        }
    }
}
