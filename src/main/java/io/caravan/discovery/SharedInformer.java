package io.caravan.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fabric8 informers of one kind and selection (one per namespace asked for, or one), shared by every consumer
 * that asks for the same: one list and one watch on the API server however many routes read them. It tells each
 * {@link Subscriber} what happened; the subscribers keep their own targets, debounce, status and metrics.
 * <p>
 * One-shot: created and started for the first subscriber, stopped after the last (the component decides both).
 */
final class SharedInformer {

    /** What the informers tell a consumer. Called on fabric8's threads: keep it short. */
    interface Subscriber {
        /** An object was added, changed (a resync's replay excluded) or deleted. */
        void changed();

        /** The informer of this scope completed its first list and watches now. */
        void synced(String scope);

        /** A list or watch failed; {@code started}: after the first list (else the informer had never synced). */
        void failed(Throwable error, String scope, boolean started);
    }

    /** What the component shares by: equal kind and selection, one informer (a pod role and an endpoint role's pods too). */
    record Key(WatchedKind kind, DiscoveryRole.Selection selection) {
    }

    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** Creates the informers; {@link #start()} starts them. Throws when the client cannot even build a request. */
    SharedInformer(Key key, KubernetesClient client) {
        this.informers = key.kind().informers(client, key.selection());
    }

    void start() {
        ResourceEventHandler<HasMetadata> fanOut = new ChangeHandler();
        informers.forEach((scope, informer) -> {
            // fabric8 7.4's default handler gives up when the first list fails (and on non-410 watch errors):
            // the informer would stop for good. Keep retrying with its backoff while anyone subscribes.
            informer.exceptionHandler((started, error) -> {
                subscribers.forEach(s -> s.failed(error, scope, started));
                return !stopped;
            });
            informer.addEventHandler(fanOut);
            informer.start().whenComplete((ignored, error) -> {
                if (error == null) {
                    subscribers.forEach(s -> s.synced(scope));
                } else if (!stopped) { // not the "stopped before starting" of our own stop()
                    subscribers.forEach(s -> s.failed(error, scope, true));
                }
            });
            informer.stopped().whenComplete((ignored, error) -> {
                if (error != null && !stopped) {
                    subscribers.forEach(s -> s.failed(error, scope, true));
                }
            });
        });
    }

    /**
     * Adds a subscriber. One that comes after the first list is told at once, so it emits the current targets
     * without waiting for a change (added before the check: it hears of the sync one way or the other, maybe twice).
     */
    void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
        informers.forEach((scope, informer) -> {
            if (informer.hasSynced()) {
                subscriber.synced(scope);
            }
        });
    }

    /** Removes a subscriber; true when it was the last. */
    boolean unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
        return subscribers.isEmpty();
    }

    void stop() {
        stopped = true;
        informers.values().forEach(SharedIndexInformer::stop);
    }

    /** Every informer has completed its first list. */
    boolean hasSynced() {
        return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Every informer has a watch open right now. */
    boolean isWatching() {
        return informers.values().stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** The scope of an informer whose watch is down, or null. */
    String scopeNotWatching() {
        return informers.entrySet().stream().filter(e -> !e.getValue().isWatching()).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** Every object in the informers' caches. */
    List<HasMetadata> objects() {
        List<HasMetadata> out = new ArrayList<>();
        informers.values().forEach(i -> out.addAll(i.getStore().list()));
        return out;
    }

    /** The cached object of this namespace (null: cluster-scoped) and name, or null. */
    HasMetadata find(String namespace, String name) {
        if (name == null) {
            return null;
        }
        String key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
        for (SharedIndexInformer<? extends HasMetadata> informer : informers.values()) {
            HasMetadata found = informer.getStore().getByKey(key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private final class ChangeHandler implements ResourceEventHandler<HasMetadata> {
        @Override
        public void onAdd(HasMetadata object) {
            subscribers.forEach(Subscriber::changed);
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            // A resync replays every object as an update of itself: same resourceVersion, nothing to do.
            if (before != after && !Objects.equals(version(before), version(after))) {
                subscribers.forEach(Subscriber::changed);
            }
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            subscribers.forEach(Subscriber::changed);
        }

        private static String version(HasMetadata o) {
            return o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
        }
    }
}
