package io.caravan.logs.pods;

import io.caravan.component.ComponentStatus;
import io.caravan.component.Reconciler;
import io.caravan.logs.BatchSink;
import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.LogSourceStatus;
import io.caravan.logs.Pollers;
import io.caravan.logs.Position;
import io.caravan.logs.PositionStore;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One pod-logs source: the containers it follows now, one follower each, and the route that receives their
 * batches. The producer side of {@code pod-logs:NAME} replaces the target list; the consumer side attaches.
 * A container whose target goes away is read to the end of its files, then its position is forgotten. So is a
 * container with a stored position that the first target list after a start no longer has (its pod was deleted
 * or replaced while the agent was away): it is finished with the labels stored with its position.
 */
final class PodLogsJob {

    private static final Logger LOG = LoggerFactory.getLogger(PodLogsJob.class);

    /** Where the batches of one container go; set by the consumer. */
    interface Sink {
        void deliver(ContainerRef ref, List<LogEntry> batch) throws Exception;
    }

    private final String name;
    private final LogSourceMetrics metrics;
    private final Pollers pollers;
    private PodLogsSettings settings;
    private Supplier<KubernetesClient> client;
    private String owner;
    private PositionStore positions;
    private final Reconciler<ContainerRef, Labels, ContainerFollower> followers = new Reconciler<>(new Reconciler.Workers<>() {
        @Override
        public ContainerFollower start(ContainerRef ref, Labels labels) {
            return follow(ref, labels);
        }

        @Override
        public void retire(ContainerRef ref, ContainerFollower follower) {
            follower.retire(() -> positions.remove(ref.key()));
        }

        @Override
        public boolean done(ContainerFollower follower) {
            return follower.done();
        }

        @Override
        public boolean revive(ContainerRef ref, ContainerFollower follower) {
            return follower.revive(); // gone for a moment only (a discovery blip): it goes on where it was
        }
    });
    private final Map<String, String> invalidTargets = new LinkedHashMap<>();
    private Instant invalidTargetsAt;
    private volatile Sink sink;
    private boolean warnedNoRoute;
    private boolean synced; // a target list came since the positions were loaded

    PodLogsJob(String name, LogSourceMetrics metrics, Pollers pollers) {
        this.name = name;
        this.metrics = metrics;
        this.pollers = pollers;
    }

    private String source() {
        return PodLogsComponent.SCHEME + ":" + name;
    }

    synchronized void configure(PodLogsSettings settings, Supplier<KubernetesClient> client, String ownerUri) {
        if (owner != null && !owner.equals(ownerUri)) {
            throw new IllegalStateException(source() + " is configured twice (" + owner + " and " + ownerUri
                    + "); give each pod-logs source its own name");
        }
        this.owner = ownerUri;
        this.settings = settings;
        this.client = client;
        this.positions = PositionStore.open(settings.positionsFile(), metrics);
        this.synced = false;
    }

    /** Makes the followed containers match the targets: new ones start, vanished ones finish, others go on. */
    synchronized void sync(List<Target> targets) {
        if (settings == null) {
            throw new IllegalStateException(source() + " received targets before its producer started");
        }
        Map<ContainerRef, Labels> wanted = containers(targets);
        followers.sweep();
        if (!synced) {
            synced = true;
            finishUnlisted(wanted.keySet());
        }
        Reconciler.Change change = followers.sync(wanted);
        if (change.started() > 0 || change.retired() > 0) {
            LOG.info("{} follows {} container(s): {} started, {} stopped", source(), change.started() + change.kept(),
                    change.started(), change.retired());
        }
    }

    /** The containers the targets name, with their public labels; a target that names none is listed as invalid. */
    private Map<ContainerRef, Labels> containers(List<Target> targets) {
        Map<ContainerRef, Labels> wanted = new LinkedHashMap<>();
        invalidTargets.clear();
        for (Target t : targets) {
            ContainerRef ref = ContainerRef.of(t.labels());
            if (ref == null) {
                invalidTargets.put(t.labels().toString(), "needs " + ContainerRef.NAMESPACE + ", " + ContainerRef.POD_NAME + ", "
                        + ContainerRef.POD_UID + " and " + ContainerRef.CONTAINER_NAME + " (keep them in the relabel rules)");
                continue;
            }
            wanted.putIfAbsent(ref, publicLabels(t.labels()));
        }
        invalidTargetsAt = invalidTargets.isEmpty() ? null : Instant.now();
        if (!invalidTargets.isEmpty()) {
            LOG.warn("{} skips {} target(s) without a container, e.g. {}: {}", source(), invalidTargets.size(),
                    invalidTargets.keySet().iterator().next(), invalidTargets.values().iterator().next());
        }
        return wanted;
    }

    /**
     * Stored file positions of containers that are not wanted now: their pods went away while the agent was
     * stopped. Each is read to its end with the labels it had, then forgotten (or counted lost, if it is gone).
     */
    private void finishUnlisted(Set<ContainerRef> wanted) {
        if (settings.mode() != PodLogsSettings.Mode.FILES) {
            return;
        }
        int n = 0;
        for (Position p : positions.all().values()) {
            ContainerRef ref = p.file() == null ? null : ContainerRef.ofKey(p.key());
            if (ref == null || wanted.contains(ref) || followers.get(ref) != null) {
                continue;
            }
            Labels labels = p.labels() != null ? Labels.fromMap(p.labels())
                    : Labels.of("namespace", ref.namespace(), "pod", ref.pod(), "container", ref.container()); // stored before labels were
            followers.finish(ref, labels);
            n++;
        }
        if (n > 0) {
            LOG.info("{}: {} container log(s) with a stored position belong to pods no longer listed (deleted or replaced "
                    + "while the agent was away); each is read to its end, then forgotten", source(), n);
        }
    }

    /** The labels the relabel rules made: everything not starting with "__". */
    static Labels publicLabels(Labels all) {
        Labels.Builder b = Labels.builder();
        all.forEach((n, v) -> {
            if (!n.startsWith("__")) {
                b.set(n, v);
            }
        });
        return b.build();
    }

    private ContainerFollower follow(ContainerRef ref, Labels labels) {
        BatchSink batchSink = batch -> emit(ref, batch);
        if (settings.mode() == PodLogsSettings.Mode.API) {
            ApiLogStream stream = new ApiLogStream(source(), ref, labels, client.get(), positions, batchSink, settings.follow(), metrics);
            pollers.execute(stream);
            return ContainerFollower.ofStream(labels, stream);
        }
        int maxChars = settings.follow().maxLineBytes();
        // no filename label: each restart or incarnation of a container would open a new Loki stream
        FileFollower f = new FileFollower(source(), ref.key(), new ContainerLogDir(ref.dir(settings.baseDir())),
                file -> new ContainerLogDecoder(settings.format(), labels, maxChars, metrics),
                batchSink, positions, settings.follow(), metrics, false, labels.toMap());
        return ContainerFollower.ofFiles(labels, f, pollers.repeat(f::poll, 0));
    }

    private void emit(ContainerRef ref, List<LogEntry> batch) throws Exception {
        Sink s = sink;
        if (s == null) {
            synchronized (this) {
                if (!warnedNoRoute) {
                    warnedNoRoute = true;
                    LOG.warn("{} has no route reading it (from: {}); its containers wait", source(), source());
                }
            }
            throw new IllegalStateException("no route reads " + source());
        }
        s.deliver(ref, batch);
    }

    synchronized void stopAll() {
        List<ContainerFollower> all = followers.clear();
        for (ContainerFollower f : all) {
            f.stop();
        }
        for (ContainerFollower f : all) {
            f.close(); // waits for a poll in progress
        }
    }

    void attach(Sink s) {
        this.sink = s;
    }

    void detach(Sink s) {
        if (this.sink == s) {
            this.sink = null;
        }
    }

    /** The containers followed now, finished ones left out. */
    private List<ContainerFollower> followed() {
        return followers.workers().stream().filter(f -> !f.finished()).toList();
    }

    private String invalidTargetsError() {
        return invalidTargets.isEmpty() ? null
                : invalidTargets.size() + " target(s) skipped: " + invalidTargets.values().iterator().next();
    }

    synchronized ComponentStatus status(String uri) {
        LogSourceStatus s = new LogSourceStatus(PodLogsComponent.SCHEME, name, uri, positions);
        for (ContainerFollower f : followed()) {
            s.follower(f.status(), f.labels().toMap());
        }
        if (settings != null) {
            s.detail("mode", settings.mode().name().toLowerCase(Locale.ROOT));
        }
        s.detail("invalidTargets", new LinkedHashMap<>(invalidTargets));
        String state = settings == null ? LogSourceStatus.UNCONFIGURED : sink == null ? LogSourceStatus.WAITING : LogSourceStatus.FOLLOWING;
        String error = invalidTargetsError();
        if (error != null) {
            return s.build(state, error, invalidTargetsAt);
        }
        return s.build(state, positions == null ? null : positions.lastWriteError(), positions == null ? null : positions.lastWriteErrorAt());
    }
}
