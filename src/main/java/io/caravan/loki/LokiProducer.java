package io.caravan.loki;

import io.caravan.component.DebugView;
import io.caravan.http.UserAgent;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.sink.PushClient;
import io.caravan.sink.Sender;
import io.caravan.sink.SinkProducer;
import io.caravan.wal.SegmentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies Loki's structured metadata limits and the line size policy, and appends the entries to the sink's queue as the push request fields they
 * will be sent as ({@link LokiRecords}); an upstream tailer may advance its positions once the exchange
 * returns. One {@link Sender} sends them.
 */
public class LokiProducer extends SinkProducer<LogEntry> {

    private static final Logger LOG = LoggerFactory.getLogger(LokiProducer.class);
    static final String USER_AGENT = UserAgent.CARAVAN + " (loki push)";

    private final LokiEndpoint endpoint;
    private volatile SegmentLog<LokiRecords.Piece> log;
    private ThreadLocal<PushEncoder> encoders; // one per appending thread: an encoder keeps state between calls
    private LokiDebugSink debugSink;
    private LineSizePolicy lineSize;
    private StructuredMetadataLimits metadataLimits;
    private LokiMetrics metrics;
    private long batchBytes;

    private boolean off; // no url and whenNoUrl=off: e.g. loki-remote before the DR DC exists

    public LokiProducer(LokiEndpoint endpoint) {
        super(endpoint, endpoint.getComponent(), LogEntry.class);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String name = endpoint.getName();
        Labels external = endpoint.parsedExternalLabels();
        metrics = new LokiMetrics(endpoint.getComponent().meters(), name);
        lineSize = new LineSizePolicy(endpoint.lineSizeBytes(), LineSizePolicy.parse(endpoint.getMaxLineSizePolicy()), metrics);
        metadataLimits = new StructuredMetadataLimits(endpoint.structuredMetadataBytes(), endpoint.getMaxStructuredMetadataEntries(), metrics);
        if (endpoint.getUrl().isEmpty() && "off".equals(endpoint.getWhenNoUrl())) {
            off = true;
            LOG.info("loki {}: no url set, this sink is off", name);
            return;
        }
        if (endpoint.getUrl().isEmpty()) {
            debugSink = endpoint.getComponent().debugSink(name, LokiDebugSink.class, () -> new LokiDebugSink(name, external, endpoint.getTenant(),
                    endpoint.getDebugMaxEntries()));
            startDebug(metrics);
            LOG.info("loki {}: no url set, entries go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-protobuf");
        headers.put("User-Agent", USER_AGENT);
        PushClient client = endpoint.pushClient(headers, false); // Loki drops what it refuses: no part would pass
        Path dir = endpoint.queuePath();
        encoders = ThreadLocal.withInitial(() -> new PushEncoder(external));
        batchBytes = endpoint.batchBytes();
        log = new SegmentLog<>("loki " + name, dir, endpoint.segmentBytesWithinBound(), endpoint.maxQueueBytesValue(),
                endpoint.syncIntervalMs(), new LokiRecords(new PushEncoder(external)), metrics);
        metrics.gauges(() -> log);
        startSending(List.of(new Sender<>("loki " + name, "entries", log, client,
                new LokiBatches(endpoint.batchBytes(), endpoint.batchWaitMs(), endpoint.getTenant()), metrics,
                endpoint.minBackoffMs(), endpoint.maxBackoffMs())), client, metrics);
        LOG.info("loki {}: sending to {} (tenant {}), external labels {}, spilling to {}", name, client.redactedUrl(),
                endpoint.getTenant() == null ? "none" : endpoint.getTenant(), external, dir);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop(); // closes the log
        log = null;
    }

    @Override
    protected void accept(List<LogEntry> entries) throws Exception {
        if (off) {
            return;
        }
        entries = inTimeOrder(lineSize.apply(metadataLimits.apply(entries)));
        if (debugSink != null) {
            debugSink.accept(entries);
            return;
        }
        SegmentLog<LokiRecords.Piece> l = log;
        if (l == null) {
            metrics.dropped(LokiRecords.SPILL_WRITE_ERROR, entries.size()); // handed over as the sink stopped
            throw new IllegalStateException("loki " + endpoint.getName() + " is not started");
        }
        LokiRecords.append(l, encoders.get(), entries, batchBytes, metrics);
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

    @Override
    protected Map<String, Object> details() {
        return Map.of("tenant", endpoint.getTenant() == null ? "" : endpoint.getTenant());
    }

    @Override
    protected DebugView debugView() {
        return debugSink;
    }
}
