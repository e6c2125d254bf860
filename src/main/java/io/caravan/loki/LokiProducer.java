package io.caravan.loki;

import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.http.UserAgent;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import io.caravan.sink.SinkComponent;
import io.caravan.sink.SinkStatus;
import io.caravan.wal.SegmentLog;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Takes a {@code List<LogEntry>} body, applies the line size policy, and appends it to the sink's disk
 * queue as the push request fields it will be sent as; the exchange returns once the entries are written,
 * so an upstream tailer may then advance its positions. Sending happens on the sink's own {@link Sender}.
 */
public class LokiProducer extends DefaultProducer implements SinkComponent.Running {

    private static final Logger LOG = LoggerFactory.getLogger(LokiProducer.class);
    static final String USER_AGENT = UserAgent.CARAVAN + " (loki push)";

    private final LokiEndpoint endpoint;
    private volatile SegmentLog<LokiRecords.Piece> log;
    private PushEncoder encoder; // used under the log's lock only
    private Sender<LokiRecords.Piece, LokiBatches.Batch> sender;
    private LokiDebugSink debugSink;
    private LineSizePolicy lineSize;
    private LokiMetrics metrics;
    private ExecutorService executor;
    private String redactedUrl = "";

    private boolean off; // no url and whenNoUrl=off: e.g. loki-remote before the DR DC exists

    public LokiProducer(LokiEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String name = endpoint.getName();
        Labels external = endpoint.parsedExternalLabels();
        LokiComponent component = endpoint.getComponent();
        metrics = new LokiMetrics(component.meters(), name);
        lineSize = new LineSizePolicy(endpoint.lineSizeBytes(), LineSizePolicy.parse(endpoint.getMaxLineSizePolicy()), metrics);
        if (endpoint.getUrl().isEmpty() && "off".equals(endpoint.getWhenNoUrl())) {
            off = true;
            LOG.info("loki {}: no url set, this sink is off", name);
            return;
        }
        if (endpoint.getUrl().isEmpty()) {
            debugSink = LokiDebugSink.register(name, external, endpoint.getDebugMaxEntries());
            component.register(name, this);
            LOG.info("loki {}: no url set, entries go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-protobuf");
        headers.put("User-Agent", USER_AGENT);
        if (endpoint.getTenant() != null && !endpoint.getTenant().isBlank()) {
            headers.put("X-Scope-OrgID", endpoint.getTenant());
        }
        PushClient client = endpoint.pushClient(headers, false); // Loki drops what it refuses: no part would pass
        redactedUrl = client.redactedUrl();
        Path dir = endpoint.queuePath();
        encoder = new PushEncoder(external);
        log = new SegmentLog<>("loki " + name, dir, endpoint.segmentBytesWithinBound(), endpoint.maxQueueBytesValue(),
                endpoint.syncIntervalMs(), new LokiRecords(new PushEncoder(external)), metrics);
        metrics.gauges(() -> log);
        sender = new Sender<>("loki " + name, "entries", log, client,
                new LokiBatches(endpoint.batchBytes(), endpoint.batchWaitMs(), metrics), metrics,
                endpoint.minBackoffMs(), endpoint.maxBackoffMs());
        executor = component.senderThreads("loki-" + name, 1);
        executor.submit(sender);
        component.register(name, this);
        LOG.info("loki {}: sending to {} (tenant {}), external labels {}, spilling to {}", name, redactedUrl,
                endpoint.getTenant() == null ? "none" : endpoint.getTenant(), external, dir);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(endpoint.getName());
        if (sender != null) {
            Sender.stopAll(List.of(sender), endpoint.flushTimeoutMs());
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            sender = null;
        }
        if (log != null) {
            long left = log.pendingEntries();
            log.close();
            if (left > 0) {
                LOG.info("loki {}: {} entries stay queued on disk and are sent first at the next start", endpoint.getName(), left);
            }
            log = null;
        }
        super.doStop();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<LogEntry> entries;
        if (body instanceof List<?> list) {
            entries = (List<LogEntry>) list;
        } else if (body instanceof LogEntry e) {
            entries = List.of(e);
        } else {
            throw new InvalidPayloadException(exchange, List.class);
        }
        if (entries.isEmpty() || off) {
            return;
        }
        entries = inTimeOrder(lineSize.apply(entries));
        if (debugSink != null) {
            debugSink.accept(entries);
        } else {
            SegmentLog<LokiRecords.Piece> l = log;
            if (l == null) {
                throw new IllegalStateException("loki " + endpoint.getName() + " is not started");
            }
            LokiRecords.append(l, encoder, entries);
        }
        metrics.in(entries.size());
    }

    /**
     * The entries stably sorted by time when they are not already: each stream then sits in the log in
     * time order, so wherever the sender cuts batches no stream goes backwards (Loki would refuse it).
     */
    static List<LogEntry> inTimeOrder(List<LogEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).timestampNanos() < entries.get(i - 1).timestampNanos()) {
                List<LogEntry> sorted = new ArrayList<>(entries);
                sorted.sort(Comparator.comparingLong(LogEntry::timestampNanos));
                return sorted;
            }
        }
        return entries;
    }

    /** What the UI and the health endpoint show for this sink. */
    @Override
    public ComponentStatus status() {
        if (debugSink != null) {
            return SinkStatus.debug(endpoint, "loki", debugSink.received());
        }
        Sender<LokiRecords.Piece, LokiBatches.Batch> s = sender;
        return SinkStatus.sending(endpoint, "loki", s == null ? List.of() : List.of(s), redactedUrl, (long) metrics.sentTotal(),
                Map.of("tenant", endpoint.getTenant() == null ? "" : endpoint.getTenant()));
    }

    @Override
    public DebugView debugView() {
        return debugSink;
    }
}
