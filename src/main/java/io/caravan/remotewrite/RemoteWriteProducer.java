package io.caravan.remotewrite;

import io.caravan.http.BearerTokenFile;
import io.caravan.http.HttpClients;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
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

/**
 * Takes a {@code List<Sample>} body and queues it for the receiver (or the debug sink when no url is set).
 * The exchange returns as soon as the samples are in the write-ahead log.
 */
public class RemoteWriteProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteProducer.class);

    private final RemoteWriteEndpoint endpoint;
    private RemoteWriteQueue queue;
    private DebugSink debugSink;
    private ExecutorService executor;

    public RemoteWriteProducer(RemoteWriteEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String name = endpoint.getName();
        Labels external = endpoint.parsedExternalLabels();
        if (endpoint.getUrl().isEmpty()) {
            debugSink = DebugSinks.register(name, external, endpoint.getDebugMaxSeries());
            LOG.info("remote-write {}: no url set, samples go to the local debug sink (GET /debug/sinks/{} on the UI port)", name, name);
            return;
        }
        URI url = URI.create(endpoint.getUrl());
        RemoteWriteSettings settings = endpoint.settings();
        Duration timeout = Duration.ofMillis(Durations.parseMillis("remoteTimeout", endpoint.getRemoteTimeout()));
        HttpClient http = HttpClients.create(Duration.ofSeconds(10), endpoint.getCaFile(), endpoint.isInsecureSkipVerify(), null);
        BearerTokenFile token = endpoint.getBearerTokenFile() == null || endpoint.getBearerTokenFile().isBlank() ? null : new BearerTokenFile(Path.of(endpoint.getBearerTokenFile()));
        RemoteWriteMetrics metrics = new RemoteWriteMetrics(meterRegistry(), name);
        Path walDir = endpoint.walPath();
        queue = new RemoteWriteQueue(name, settings, walDir, external, metrics, () -> new RemoteWriteClient(http, url, timeout, token));
        metrics.gauges(queue, RemoteWriteQueue::pending, RemoteWriteQueue::shardCount, RemoteWriteQueue::walBytes);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "remote-write-" + name, settings.shards());
        queue.start(executor);
        LOG.info("remote-write {}: sending to {} with {} shards, external labels {}, WAL in {}", name, HttpClients.redact(url),
                settings.shards(), external, walDir);
    }

    @Override
    protected void doStop() throws Exception {
        if (queue != null) {
            queue.stop(Durations.parseMillis("flushTimeout", endpoint.getFlushTimeout()));
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

    private MeterRegistry meterRegistry() {
        MeterRegistry r = getEndpoint().getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return r != null ? r : Metrics.globalRegistry;
    }
}
