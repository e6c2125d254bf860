package io.caravan.remotewrite;

import io.caravan.component.DebugView;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;
import io.caravan.sink.PushClient;
import io.caravan.sink.SinkProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.camel.Exchange;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Queues samples in the sink's write-ahead log, by shard ({@link RemoteWriteQueue}), or in the debug sink when no url is set. */
public class RemoteWriteProducer extends SinkProducer<Sample> {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteProducer.class);

    /** Metadata of families no scrape described for this long is not sent any more: their targets are gone. */
    private static final long METADATA_FORGET_MS = 10 * 60_000;
    /** At most this many families' metadata per sink; more are counted and not kept. */
    private static final int METADATA_MAX_FAMILIES = 100_000;

    private final RemoteWriteEndpoint endpoint;
    private volatile RemoteWriteQueue queue;
    private DebugSink debugSink;
    private MetadataStore metadata;
    private ScheduledExecutorService metadataRounds;
    private volatile boolean stopping;

    public RemoteWriteProducer(RemoteWriteEndpoint endpoint) {
        super(endpoint, endpoint.getComponent(), Sample.class);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String name = endpoint.getName();
        Labels external = endpoint.parsedExternalLabels();
        if (endpoint.getUrl().isEmpty()) {
            debugSink = endpoint.getComponent().debugSink(name, DebugSink.class, () -> new DebugSink(name, external, endpoint.getDebugMaxSeries()));
            startDebug(null);
            LOG.info("remote-write {}: no url set, samples go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        RemoteWriteSettings settings = endpoint.settings();
        PushClient client = endpoint.pushClient(RemoteWriteQueue.HEADERS, true); // refused batches are split
        RemoteWriteMetrics metrics = new RemoteWriteMetrics(endpoint.getComponent().meters(), name);
        Path walDir = endpoint.queuePath();
        stopping = false;
        MetadataStore store = new MetadataStore(METADATA_MAX_FAMILIES, METADATA_FORGET_MS);
        metrics.gauge("metadata_not_kept", "Families whose metadata was not kept: the sink holds at most " + METADATA_MAX_FAMILIES,
                store::notKept);
        WriteProtocol protocol = new WriteProtocol(name, endpoint.getProtobufMessage(), store::lookup);
        queue = new RemoteWriteQueue(name, settings, walDir, external, metrics, () -> client, protocol);
        metrics.gauges(queue);
        startSending(queue.senders(), client, metrics);
        metadata = store;
        startMetadataRounds(name, client, external, settings, store, protocol);
        LOG.info("remote-write {}: sending {} to {} with {} shards, external labels {}, WAL in {}", name,
                protocol.v2() ? "remote_write 2.0" : "remote_write 1.0", client.redactedUrl(), settings.shards(), external, walDir);
    }

    /**
     * The metadata rounds, when metadataSendInterval is not 0: on a thread of Camel's, stopped with the producer. While
     * the sink sends 2.0, whose series carry their metadata, a round sends nothing.
     */
    private void startMetadataRounds(String name, PushClient client, Labels external, RemoteWriteSettings settings, MetadataStore store,
                                     WriteProtocol protocol) {
        long interval = endpoint.metadataSendIntervalMs();
        if (interval == 0) {
            return;
        }
        MetadataSender sender = new MetadataSender(name, store, client, new WriteRequestEncoder(external), endpoint.getMetadataMaxPerSend(),
                interval, settings.minBackoffMs(), settings.maxBackoffMs(), endpoint.getComponent().meters());
        metadataRounds = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "remote-write-metadata-" + name);
        metadataRounds.scheduleWithFixedDelay(() -> {
            if (!protocol.v2()) {
                sender.sendRound(() -> stopping);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Takes the scrape's metadata (a header) before its samples. */
    @Override
    public void process(Exchange exchange) throws Exception {
        if (exchange.getMessage().getHeader(MetricMetadata.HEADER) instanceof List<?> list && !list.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<MetricMetadata> families = (List<MetricMetadata>) list;
            MetadataStore store = metadata;
            if (store != null) {
                store.update(families, System.currentTimeMillis());
            } else if (debugSink != null) {
                debugSink.acceptMetadata(families);
            }
        }
        super.process(exchange);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        metadata = null;
        if (metadataRounds != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(metadataRounds);
            metadataRounds = null;
        }
        super.doStop(); // stops the shards and closes their logs
        queue = null;
    }

    @Override
    protected void accept(List<Sample> samples) {
        if (debugSink != null) {
            debugSink.accept(samples);
        } else {
            queue.offer(samples);
        }
    }

    @Override
    protected Map<String, Object> details() {
        RemoteWriteQueue q = queue;
        return Map.of("shards", q == null ? 0 : q.shardCount());
    }

    @Override
    protected DebugView debugView() {
        return debugSink;
    }
}
