package io.caravan.remotewrite;

import io.caravan.component.ComponentStatus;
import io.caravan.component.DebugView;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.sink.PushClient;
import io.caravan.sink.SinkComponent;
import io.caravan.sink.SinkStatus;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Takes a {@code List<Sample>} body and queues it for the receiver (or the debug sink when no url is set).
 * The exchange returns as soon as the samples are in the write-ahead log.
 */
public class RemoteWriteProducer extends DefaultProducer implements SinkComponent.Running {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteProducer.class);

    private final RemoteWriteEndpoint endpoint;
    private volatile RemoteWriteQueue queue;
    private DebugSink debugSink;
    private RemoteWriteMetrics metrics;
    private ExecutorService executor;
    private String redactedUrl = "";

    public RemoteWriteProducer(RemoteWriteEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String name = endpoint.getName();
        Labels external = endpoint.parsedExternalLabels();
        RemoteWriteComponent component = endpoint.getComponent();
        if (endpoint.getUrl().isEmpty()) {
            debugSink = DebugSinks.register(name, external, endpoint.getDebugMaxSeries());
            component.register(name, this);
            LOG.info("remote-write {}: no url set, samples go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        RemoteWriteSettings settings = endpoint.settings();
        PushClient client = endpoint.pushClient(RemoteWriteQueue.HEADERS, true); // refused batches are split
        redactedUrl = client.redactedUrl();
        metrics = new RemoteWriteMetrics(component.meters(), name);
        Path walDir = endpoint.queuePath();
        queue = new RemoteWriteQueue(name, settings, walDir, external, metrics, () -> client);
        metrics.gauges(queue);
        executor = component.senderThreads("remote-write-" + name, settings.shards());
        queue.start(executor);
        component.register(name, this);
        LOG.info("remote-write {}: sending to {} with {} shards, external labels {}, WAL in {}", name, redactedUrl,
                settings.shards(), external, walDir);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.getComponent().unregister(endpoint.getName());
        if (queue != null) {
            queue.stop(endpoint.flushTimeoutMs());
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            queue = null;
        }
        super.doStop();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<Sample> samples;
        if (body instanceof List<?> list) {
            samples = (List<Sample>) list;
        } else if (body instanceof Sample s) {
            samples = List.of(s);
        } else {
            throw new InvalidPayloadException(exchange, List.class);
        }
        if (samples.isEmpty()) {
            return;
        }
        if (debugSink != null) {
            debugSink.accept(samples);
        } else {
            queue.offer(samples);
        }
    }

    /** What the UI and the health endpoint show for this sink: its shards together. */
    @Override
    public ComponentStatus status() {
        if (debugSink != null) {
            return SinkStatus.debug(endpoint, "remote-write", debugSink.received());
        }
        RemoteWriteQueue q = queue;
        return SinkStatus.sending(endpoint, "remote-write", q == null ? List.of() : q.senders(), redactedUrl,
                (long) metrics.sentTotal(), Map.of("shards", q == null ? 0 : q.shardCount()));
    }

    @Override
    public DebugView debugView() {
        return debugSink;
    }
}
