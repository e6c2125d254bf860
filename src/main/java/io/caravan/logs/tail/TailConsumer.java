package io.caravan.logs.tail;

import io.caravan.component.RouteHandOff;
import io.caravan.component.ComponentStatus;
import io.caravan.component.Reconciler;
import io.caravan.logs.BatchSink;
import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.FollowedPath;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.LogSourceStatus;
import io.caravan.logs.Pollers;
import io.caravan.logs.Position;
import io.caravan.logs.PositionStore;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs one {@link FileFollower} per file of the path (or glob), and emits each batch as an exchange whose body
 * is the {@code List<LogEntry>} and whose {@value #HEADER_FILE} header names the file. A glob is expanded again
 * every scanInterval: new files get a follower; a file no longer matched is read to its end and then forgotten.
 * So is a file with a stored position that the path no longer names at start-up (the glob changed, or the file
 * went away while the agent was stopped): its position is finished, not dropped.
 */
public class TailConsumer extends DefaultConsumer {

    public static final String HEADER_FILE = "CaravanLogFile";
    private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);

    private final TailEndpoint endpoint;
    private final Reconciler<Path, Boolean, TailedFile> files = new Reconciler<>(new Reconciler.Workers<>() {
        @Override
        public TailedFile start(Path file, Boolean startAtEnd) {
            return follow(file, startAtEnd);
        }

        @Override
        public void retire(Path file, TailedFile tailed) {
            tailed.follower().finish(); // read to the end, then forget
        }

        @Override
        public boolean done(TailedFile tailed) {
            return tailed.done();
        }
    });
    private final Set<Path> reported = new HashSet<>();
    private PositionStore positions;
    private LogSourceMetrics metrics;
    private FollowSettings settings;
    private Labels labels;
    private Pollers pollers;
    private GlobPaths glob;
    private ScheduledFuture<?> scan;
    private boolean firstScan;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** A followed file: its follower, the loop that polls it, the labels of its entries. */
    private record TailedFile(FileFollower follower, Pollers.Handle handle, Labels labels) {
        boolean done() {
            if (follower.isDone()) {
                handle.cancel(); // it stopped polling itself; this makes sure no run is left
                return true;
            }
            return false;
        }
    }

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        TailComponent component = endpoint.getComponent();
        metrics = component.metrics(endpoint.getName());
        settings = endpoint.settings();
        labels = endpoint.labelSet();
        positions = PositionStore.open(endpoint.positionsFile(), metrics);
        pollers = component.pollers();
        firstScan = true;
        if (GlobPaths.isGlob(endpoint.getPath())) {
            glob = new GlobPaths(endpoint.getPath());
            rescan(); // on this thread, so "start=end" means the files that exist at start-up
        } else {
            files.sync(Map.of(Path.of(endpoint.getPath()).toAbsolutePath().normalize(), endpoint.startAtEnd()));
        }
        finishStalePositions();
        if (glob != null) {
            scan = pollers.every(this::rescan, endpoint.scanMillis());
        }
        component.register(this);
        LOG.info("{}: following {} (positions in {})", endpoint.source(), endpoint.getPath(), positions.file());
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        if (scan != null) {
            scan.cancel(false);
        }
        List<TailedFile> all = files.clear();
        for (TailedFile f : all) {
            f.handle().cancel();
        }
        for (TailedFile f : all) {
            f.follower().close(); // waits for a poll in progress
        }
        super.doStop();
    }

    /** Positions of files the path does not name now: each is read to its end (wherever it is), then forgotten. */
    private void finishStalePositions() {
        int n = 0;
        for (Position p : positions.all().values()) {
            Path file = Path.of(p.key());
            if (p.file() != null && files.get(file) == null) {
                files.finish(file, false);
                n++;
            }
        }
        if (n > 0) {
            LOG.info("{}: {} file(s) with a stored position are not matched by {} now; each is read to its end, then forgotten",
                    endpoint.source(), n, endpoint.getPath());
        }
    }

    private void rescan() {
        boolean startAtEnd = firstScan && endpoint.startAtEnd(); // only files that exist at start-up
        Map<Path, Boolean> matched = new LinkedHashMap<>();
        for (Path p : glob.expand(this::problem)) {
            matched.put(p, startAtEnd);
        }
        files.sync(matched);
        firstScan = false;
    }

    private void problem(Path p, String what) {
        if (reported.add(p)) {
            metrics.error(what.startsWith("a directory") ? "not_a_file" : "unreadable");
            lastErrorAt = Instant.now();
            lastError = p + " matches " + endpoint.getPath() + " but is " + what + "; it is not followed";
            LOG.warn("{}: {}", endpoint.source(), lastError);
        }
    }

    private TailedFile follow(Path p, boolean startAtEnd) {
        Labels fileLabels = labels.toBuilder().set("filename", p.toString()).build();
        BatchSink sink = batch -> deliver(p, batch);
        FileFollower f = new FileFollower(endpoint.source(), p.toString(), FollowedPath.fixed(p), file -> new PlainLineDecoder(fileLabels),
                sink, positions, settings, metrics, startAtEnd, null);
        return new TailedFile(f, pollers.repeat(f::poll, 0), fileLabels);
    }

    private void deliver(Path file, List<LogEntry> batch) throws Exception {
        RouteHandOff.deliver(this, batch, Map.of(HEADER_FILE, file.toString()));
    }

    /** The files followed now, finished ones left out. */
    private List<TailedFile> followed() {
        return files.workers().stream().filter(f -> !f.follower().isDone()).toList();
    }

    ComponentStatus status() {
        LogSourceStatus s = new LogSourceStatus(TailComponent.SCHEME, endpoint.getName(), endpoint.getEndpointUri(), positions);
        for (TailedFile f : followed()) {
            s.follower(f.follower().status(), f.labels().toMap());
        }
        boolean ownError = lastError != null;
        return s.build(LogSourceStatus.FOLLOWING, ownError ? lastError : positions == null ? null : positions.lastWriteError(),
                ownError ? lastErrorAt : positions == null ? null : positions.lastWriteErrorAt());
    }
}
