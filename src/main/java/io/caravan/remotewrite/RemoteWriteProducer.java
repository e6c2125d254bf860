package io.caravan.remotewrite;

import io.caravan.component.DebugView;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.sink.PushClient;
import io.caravan.sink.SinkProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Queues samples in the sink's write-ahead log, by shard ({@link RemoteWriteQueue}), or in the debug sink when no url is set. */
public class RemoteWriteProducer extends SinkProducer<Sample> {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteProducer.class);

    private final RemoteWriteEndpoint endpoint;
    private volatile RemoteWriteQueue queue;
    private DebugSink debugSink;

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
            startDebug();
            LOG.info("remote-write {}: no url set, samples go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        RemoteWriteSettings settings = endpoint.settings();
        PushClient client = endpoint.pushClient(RemoteWriteQueue.HEADERS, true); // refused batches are split
        RemoteWriteMetrics metrics = new RemoteWriteMetrics(endpoint.getComponent().meters(), name);
        Path walDir = endpoint.queuePath();
        queue = new RemoteWriteQueue(name, settings, walDir, external, metrics, () -> client);
        metrics.gauges(queue);
        startSending(queue.senders(), client, metrics);
        LOG.info("remote-write {}: sending to {} with {} shards, external labels {}, WAL in {}", name, client.redactedUrl(),
                settings.shards(), external, walDir);
    }

    @Override
    protected void doStop() throws Exception {
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
