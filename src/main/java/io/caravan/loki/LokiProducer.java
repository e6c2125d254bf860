package io.caravan.loki;

import io.caravan.wal.SegmentLog;
import io.caravan.http.BearerTokenFile;
import io.caravan.http.HttpClients;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Takes a {@code List<LogEntry>} body, applies the line size policy, and appends it to the sink's disk
 * queue; the exchange returns once the entries are written, so an upstream tailer may then advance its
 * positions. Sending happens on the sink's own thread.
 */
public class LokiProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(LokiProducer.class);

    private final LokiEndpoint endpoint;
    private volatile SegmentLog<LogEntry> log;
    private LokiSender sender;
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
        metrics = new LokiMetrics(meterRegistry(), name);
        lineSize = new LineSizePolicy(endpoint.lineSizeBytes(), LineSizePolicy.parse(endpoint.getMaxLineSizePolicy()), metrics);
        if (endpoint.getUrl().isEmpty() && "off".equals(endpoint.getWhenNoUrl())) {
            off = true;
            LOG.info("loki {}: no url set, this sink is off", name);
            return;
        }
        if (endpoint.getUrl().isEmpty()) {
            debugSink = LokiDebugSink.register(name, external, endpoint.getDebugMaxEntries());
            endpoint.getComponent().register(name, this::status);
            LOG.info("loki {}: no url set, entries go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        URI url = URI.create(endpoint.getUrl());
        redactedUrl = HttpClients.redact(url);
        Path dir = endpoint.spillPath();
        log = new SegmentLog<>("loki " + name, dir, endpoint.segmentBytes(), endpoint.maxSpillBytesValue(), endpoint.syncIntervalMs(), SpillCodec.CODEC, metrics);
        metrics.gauges(() -> log);
        HttpClient http = HttpClients.create(Duration.ofSeconds(10), endpoint.getCaFile(), endpoint.isInsecureSkipVerify(), null);
        LokiClient client = new LokiClient(http, url, Duration.ofMillis(endpoint.timeoutMs()), endpoint.getTenant(), authorization());
        sender = new LokiSender(name, log, client, new PushEncoder(external), endpoint.senderSettings(), metrics);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "loki-" + name);
        executor.submit(sender);
        endpoint.getComponent().register(name, this::status);
        LOG.info("loki {}: sending to {} (tenant {}), external labels {}, spilling to {}", name, redactedUrl,
                endpoint.getTenant() == null ? "none" : endpoint.getTenant(), external, dir);
    }

    private Supplier<String> authorization() {
        if (endpoint.getBearerTokenFile() != null && !endpoint.getBearerTokenFile().isBlank()) {
            return new BearerTokenFile(Path.of(endpoint.getBearerTokenFile()));
        }
        if (endpoint.getBasicAuthUser() != null && !endpoint.getBasicAuthUser().isBlank()) {
            return new BasicAuthFile(endpoint.getBasicAuthUser(), Path.of(endpoint.getBasicAuthPasswordFile()));
        }
        return null;
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(endpoint.getName());
        if (sender != null) {
            sender.stop(endpoint.flushTimeoutMs());
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
            SegmentLog<LogEntry> l = log;
            if (l == null) {
                throw new IllegalStateException("loki " + endpoint.getName() + " is not started");
            }
            SpillCodec.append(l, entries);
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
                List<LogEntry> sorted = new java.util.ArrayList<>(entries);
                sorted.sort(java.util.Comparator.comparingLong(LogEntry::timestampNanos));
                return sorted;
            }
        }
        return entries;
    }

    /** What the UI shows for this sink. */
    public LokiStatus status() {
        String name = endpoint.getName();
        if (debugSink != null) {
            return new LokiStatus(name, "", "debug", 0, 0, 0, debugSink.received(), 0, 0, "");
        }
        SegmentLog<LogEntry> l = log;
        LokiSender s = sender;
        return new LokiStatus(name, redactedUrl, s == null ? "stopped" : s.state(),
                l == null ? 0 : l.pendingEntries(), l == null ? 0 : l.pendingBytes(), l == null ? 0 : l.diskBytes(),
                (long) metrics.sentTotal(), s == null ? 0 : s.lastSuccessMs(), s == null ? 0 : s.lastErrorMs(),
                s == null ? "" : s.lastError());
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry r = getEndpoint().getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return r != null ? r : Metrics.globalRegistry;
    }
}
