package io.caravan.logs.tail;

import io.caravan.logs.BatchSink;
import io.caravan.logs.DataDir;
import io.caravan.logs.FileFollower;
import io.caravan.logs.FollowSettings;
import io.caravan.logs.FollowedPath;
import io.caravan.logs.FollowerStatus;
import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Pollers;
import io.caravan.logs.Position;
import io.caravan.logs.PositionStore;
import io.caravan.logs.SourceStatus;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
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
    private final Map<Path, Running> running = new LinkedHashMap<>();
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

    private record Running(FileFollower follower, Pollers.Handle handle) {
    }

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    private String source() {
        return "tail:" + endpoint.getName();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        TailComponent component = endpoint.getComponent();
        metrics = component.metrics(endpoint.getName());
        settings = endpoint.settings();
        labels = endpoint.labelSet();
        positions = PositionStore.open(DataDir.positionsFile(endpoint.dataDirectory(), TailComponent.SCHEME, endpoint.getName()), metrics);
        pollers = component.pollers();
        firstScan = true;
        if (GlobPaths.isGlob(endpoint.getPath())) {
            glob = new GlobPaths(endpoint.getPath());
            rescan(); // on this thread, so "start=end" means the files that exist at start-up
            scan = pollers.every(this::rescan, endpoint.scanMillis());
        } else {
            Path p = Path.of(endpoint.getPath()).toAbsolutePath().normalize();
            synchronized (running) {
                follow(p, true);
            }
        }
        finishStalePositions();
        component.register(this);
        LOG.info("{}: following {} (positions in {})", source(), endpoint.getPath(), positions.file());
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(this);
        if (scan != null) {
            scan.cancel(false);
        }
        List<Running> all;
        synchronized (running) {
            all = new ArrayList<>(running.values());
            running.clear();
        }
        for (Running r : all) {
            r.handle().cancel();
        }
        for (Running r : all) {
            r.follower().close(); // waits for a poll in progress
        }
        super.doStop();
    }

    /** Positions of files the path does not name now: each is read to its end (wherever it is), then forgotten. */
    private void finishStalePositions() {
        int n = 0;
        synchronized (running) {
            for (Position p : positions.all().values()) {
                Path file = Path.of(p.key());
                if (p.file() != null && !running.containsKey(file)) {
                    follow(file, false);
                    running.get(file).follower().finish();
                    n++;
                }
            }
        }
        if (n > 0) {
            LOG.info("{}: {} file(s) with a stored position are not matched by {} now; each is read to its end, then forgotten",
                    source(), n, endpoint.getPath());
        }
    }

    private void rescan() {
        List<Path> now = glob.expand(this::problem);
        synchronized (running) {
            Set<Path> matched = new HashSet<>(now);
            for (Path p : now) {
                if (!running.containsKey(p)) {
                    follow(p, firstScan);
                }
            }
            running.entrySet().removeIf(e -> {
                if (e.getValue().follower().isDone()) {
                    e.getValue().handle().cancel();
                    return true;
                }
                if (!matched.contains(e.getKey())) {
                    e.getValue().follower().finish(); // read to the end, then forget; removed once done
                }
                return false;
            });
            firstScan = false;
        }
    }

    private void problem(Path p, String what) {
        if (reported.add(p)) {
            metrics.error(what.startsWith("a directory") ? "not_a_file" : "unreadable");
            lastError = p + " matches " + endpoint.getPath() + " but is " + what + "; it is not followed";
            LOG.warn("{}: {}", source(), lastError);
        }
    }

    private void follow(Path p, boolean existingAtStart) {
        Labels fileLabels = labels.toBuilder().set("filename", p.toString()).build();
        BatchSink sink = batch -> deliver(p, batch);
        FileFollower f = new FileFollower(source(), p.toString(), FollowedPath.fixed(p), file -> new PlainLineDecoder(fileLabels),
                sink, positions, settings, metrics, existingAtStart && endpoint.startAtEnd(), null);
        running.put(p, new Running(f, pollers.repeat(f::poll, 0)));
    }

    private void deliver(Path file, List<LogEntry> batch) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(batch);
            exchange.getMessage().setHeader(HEADER_FILE, file.toString());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    SourceStatus status() {
        List<FollowerStatus> list = new ArrayList<>();
        synchronized (running) {
            for (Running r : running.values()) {
                if (!r.follower().isDone()) { // a finished one waits for the next scan to be removed, or stays (one path)
                    list.add(r.follower().status());
                }
            }
        }
        return new SourceStatus(endpoint.getEndpointUri(), positions == null ? null : positions.file().toString(), list,
                lastError != null ? lastError : positions == null ? null : positions.lastWriteError());
    }
}
