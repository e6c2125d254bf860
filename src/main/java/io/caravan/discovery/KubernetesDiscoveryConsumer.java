package io.caravan.discovery;

import io.caravan.model.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the endpoint's objects through fabric8 informers and emits the endpoint's whole target list, sorted,
 * each time it changes. Events are coalesced for {@code debounce}; a list equal to the last one is not emitted,
 * so informer resyncs and no-op updates cost nothing downstream.
 * <p>
 * The API server may be missing or refuse us: start-up never waits for it and never fails because of it.
 * Informers retry with fabric8's backoff, and {@link #status()} says what is wrong.
 */
public class KubernetesDiscoveryConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscoveryConsumer.class);

    private final KubernetesDiscoveryEndpoint endpoint;
    private final DiscoveryRole role;
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new CopyOnWriteArrayList<>();
    private final Map<SharedIndexInformer<? extends HasMetadata>, String> scopes = new java.util.concurrent.ConcurrentHashMap<>();
    private KubernetesClient client;
    private int watchDownChecks; // on the executor only
    private volatile boolean errorBeforeSync; // the last error was a list that failed before the first sync
    private final AtomicBoolean emissionScheduled = new AtomicBoolean();
    private final ResourceEventHandler<HasMetadata> onChange = new ChangeHandler();
    private ScheduledExecutorService executor;
    private long debounceMillis;
    private String masterUrl = "?";
    private DiscoveryMetrics metrics;

    private volatile List<Target> lastEmitted;
    private volatile Instant lastEmittedAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public KubernetesDiscoveryConsumer(KubernetesDiscoveryEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.role = endpoint.getRole();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        debounceMillis = endpoint.debounceMillis();
        metrics = DiscoveryMetrics.of(getEndpoint().getCamelContext(), role.uriName());
        DiscoveryRole.Selection selection = endpoint.selection();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "k8s-discovery-" + role.uriName());
        endpoint.getComponent().register(this);
        try {
            client = endpoint.getComponent().getKubernetesClient();
            masterUrl = String.valueOf(client.getMasterUrl());
            for (Map.Entry<String, SharedIndexInformer<? extends HasMetadata>> e : role.informers(client, selection).entrySet()) {
                informers.add(e.getValue());
                scopes.put(e.getValue(), e.getKey());
                start(e.getKey(), e.getValue());
            }
            executor.scheduleWithFixedDelay(this::checkWatches, WATCH_CHECK_MILLIS, WATCH_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // A broken kubeconfig or client must not stop the agent: report it like an unreachable server.
            recordError(e, "cluster-wide");
        }
    }

    private void start(String scope, SharedIndexInformer<? extends HasMetadata> informer) {
        // fabric8 7.4's default handler gives up when the first list fails (and on non-410 watch errors):
        // the informer would stop for good. Keep retrying with its backoff while the route runs.
        informer.exceptionHandler((started, error) -> {
            recordError(error, scope);
            errorBeforeSync = !started;
            return isRunAllowed();
        });
        informer.addEventHandler(onChange);
        informer.start().whenComplete((ignored, error) -> {
            if (error != null) {
                if (isRunAllowed()) { // not the "stopped before starting" of our own doStop
                    recordError(error, scope);
                }
                return;
            }
            LOG.info("{}: {} {} listed, watching", endpoint.getEndpointUri(), role.resource(), scope);
            lastError = null;
            lastErrorAt = null;
            scheduleEmission(0); // the first list may be empty, and then no event would announce it
        });
        informer.stopped().whenComplete((ignored, error) -> {
            if (error != null && isRunAllowed()) {
                recordError(error, scope);
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
        scopes.clear();
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        lastEmitted = null; // a restarted route gets the full list again
        super.doStop();
    }

    public DiscoveryStatus status() {
        List<Target> emitted = lastEmitted;
        return new DiscoveryStatus(endpoint.getEndpointUri(), role.uriName(), allSynced(),
                !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching),
                emitted == null ? 0 : emitted.size(), lastError, lastErrorAt, lastEmittedAt);
    }

    private boolean allSynced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
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
            if (!allSynced()) {
                watchDownChecks = 0; // list failures go through the exception handler
                return;
            }
            SharedIndexInformer<? extends HasMetadata> down = informers.stream().filter(i -> !i.isWatching()).findFirst().orElse(null);
            if (down == null) {
                watchDownChecks = 0;
                clearError();
                return;
            }
            if (++watchDownChecks < 2 || lastError != null) {
                return; // not down for long yet, or fabric8 said why already
            }
            String scope = scopes.getOrDefault(down, "");
            try {
                client.getKubernetesVersion();
            } catch (RuntimeException unreachable) {
                recordError(unreachable, scope);
                return;
            }
            metrics.error("watch_lost");
            recordText("the watch on " + role.resource() + " " + scope + " is down though the API server at " + masterUrl
                    + " answers; reconnecting, and until then the last known targets are kept");
        } catch (RuntimeException e) {
            LOG.debug("{}: watch check failed", endpoint.getEndpointUri(), e);
        }
    }

    /** Called with every informer synced: an error is over when every watch is up, or when it was a list before the sync. */
    private void clearError() {
        if (lastError != null && (errorBeforeSync || informers.stream().allMatch(SharedIndexInformer::isWatching))) {
            LOG.info("{}: listing and watching {} again", endpoint.getEndpointUri(), role.resource());
            lastError = null;
            lastErrorAt = null;
            errorBeforeSync = false;
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
            if (!allSynced()) {
                return; // a partial list would make targets vanish and come back; sync completion reschedules
            }
            clearError(); // before the emission, so whoever sees the new targets sees no stale error
            List<Target> targets = currentTargets();
            if (targets.equals(lastEmitted)) {
                return;
            }
            lastEmitted = targets;
            lastEmittedAt = Instant.now();
            emit(targets);
        } catch (RuntimeException e) {
            LOG.error("{}: cannot build the target list", endpoint.getEndpointUri(), e);
        }
    }

    private List<Target> currentTargets() {
        List<Target> targets = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
            for (HasMetadata object : informer.getStore().list()) {
                try {
                    targets.addAll(role.targets(object));
                } catch (RuntimeException e) {
                    // one odd object must not hide the others
                    metrics.error("bad_object");
                    LOG.warn("{}: skipping {} {}: {}", endpoint.getEndpointUri(), object.getKind(),
                            object.getMetadata() == null ? "?" : object.getMetadata().getName(), e.toString());
                }
            }
        }
        targets.sort(Comparator.comparing(Target::labels));
        return List.copyOf(targets);
    }

    private void emit(List<Target> targets) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(targets);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(endpoint.getEndpointUri(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    private void recordError(Throwable error, String scope) {
        String text = ApiServerErrors.describe(error, masterUrl, role.resource(), scope);
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

    private final class ChangeHandler implements ResourceEventHandler<HasMetadata> {
        @Override
        public void onAdd(HasMetadata object) {
            scheduleEmission(debounceMillis);
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            // A resync replays every object as an update of itself: same resourceVersion, nothing to do.
            if (before != after && !Objects.equals(version(before), version(after))) {
                scheduleEmission(debounceMillis);
            }
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            scheduleEmission(debounceMillis);
        }

        private String version(HasMetadata o) {
            return o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
        }
    }
}
