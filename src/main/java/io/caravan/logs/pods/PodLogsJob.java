package io.caravan.logs.pods;

import io.caravan.logs.BatchSink;
import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Pollers;
import io.caravan.logs.Position;
import io.caravan.logs.PositionStore;
import io.caravan.logs.SourceStatus;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.model.Target;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final Map<ContainerRef, Running> running = new LinkedHashMap<>();
    private final List<Running> finishing = new ArrayList<>();
    private final Map<String, String> invalidTargets = new LinkedHashMap<>();
    private volatile Sink sink;
    private boolean warnedNoRoute;
    private boolean synced; // a target list came since the positions were loaded

    /** A followed container: a file follower and its poll loop, or an API stream. */
    private record Running(ContainerRef ref, FileFollower follower, Pollers.Handle handle, ApiLogStream stream) {
        FollowerStatus status() {
            return follower != null ? follower.status() : stream.status();
        }
    }

    PodLogsJob(String name, LogSourceMetrics metrics, Pollers pollers) {
        this.name = name;
        this.metrics = metrics;
        this.pollers = pollers;
    }

    private String source() {
        return "pod-logs:" + name;
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
        if (!invalidTargets.isEmpty()) {
            LOG.warn("{} skips {} target(s) without a container, e.g. {}: {}", source(), invalidTargets.size(),
                    invalidTargets.keySet().iterator().next(), invalidTargets.values().iterator().next());
        }
        finishing.removeIf(r -> r.follower() == null || r.follower().isDone());
        if (!synced) {
            synced = true;
            finishUnlisted(wanted.keySet());
        }
        Set<ContainerRef> gone = new HashSet<>(running.keySet());
        gone.removeAll(wanted.keySet());
        for (ContainerRef ref : gone) {
            Running r = running.remove(ref);
            if (r.follower() != null) {
                r.follower().finish(); // drains, then forgets its position
                finishing.add(r);
            } else {
                r.stream().stop();
                positions.remove(ref.key());
            }
        }
        int started = 0;
        for (Map.Entry<ContainerRef, Labels> e : wanted.entrySet()) {
            if (!running.containsKey(e.getKey())) {
                Running back = finishing.stream().filter(r -> r.ref().equals(e.getKey())).findFirst().orElse(null);
                if (back != null && back.follower().resume()) {
                    finishing.remove(back); // gone for a moment only (a discovery blip): it goes on where it was
                    running.put(e.getKey(), back);
                    continue;
                }
                if (back != null) {
                    finishing.remove(back);
                }
                running.put(e.getKey(), start(e.getKey(), e.getValue()));
                started++;
            }
        }
        if (started > 0 || !gone.isEmpty()) {
            LOG.info("{} follows {} container(s): {} started, {} stopped", source(), running.size(), started, gone.size());
        }
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
            if (ref == null || wanted.contains(ref) || running.containsKey(ref)) {
                continue;
            }
            Labels labels = p.labels() != null ? Labels.fromMap(p.labels())
                    : Labels.of("namespace", ref.namespace(), "pod", ref.pod(), "container", ref.container()); // stored before labels were
            Running r = start(ref, labels);
            r.follower().finish();
            finishing.add(r);
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

    private Running start(ContainerRef ref, Labels labels) {
        BatchSink batchSink = batch -> emit(ref, batch);
        if (settings.mode() == PodLogsSettings.Mode.API) {
            ApiLogStream stream = new ApiLogStream(source(), ref, labels, client.get(), positions, batchSink, settings.follow(), metrics);
            pollers.execute(stream);
            return new Running(ref, null, null, stream);
        }
        int maxChars = settings.follow().maxLineBytes();
        // no filename label: each restart or incarnation of a container would open a new Loki stream
        FileFollower f = new FileFollower(source(), ref.key(), new ContainerLogDir(ref.dir(settings.baseDir())),
                file -> new ContainerLogDecoder(settings.format(), labels, maxChars, metrics),
                batchSink, positions, settings.follow(), metrics, false, labels.toMap());
        return new Running(ref, f, pollers.repeat(f::poll, 0), null);
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
        List<Running> all = new ArrayList<>(running.values());
        all.addAll(finishing);
        running.clear();
        finishing.clear();
        for (Running r : all) {
            if (r.handle() != null) {
                r.handle().cancel();
            }
            if (r.stream() != null) {
                r.stream().stop();
            }
        }
        for (Running r : all) {
            if (r.follower() != null) {
                r.follower().close();
            }
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

    synchronized SourceStatus status(String endpoint) {
        List<FollowerStatus> list = new ArrayList<>();
        for (Running r : running.values()) {
            list.add(r.status());
        }
        for (Running r : finishing) {
            if (r.follower() != null && !r.follower().isDone()) {
                list.add(r.follower().status());
            }
        }
        String err = invalidTargets.isEmpty() ? null
                : invalidTargets.size() + " target(s) skipped: " + invalidTargets.values().iterator().next();
        return new SourceStatus(endpoint, positions == null ? null : positions.file().toString(), list,
                err != null ? err : positions == null ? null : positions.lastWriteError());
    }

    /** The containers followed now. */
    synchronized Set<ContainerRef> containers() {
        return new HashSet<>(running.keySet());
    }

    String name() {
        return name;
    }
}
