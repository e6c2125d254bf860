package io.caravan.logs.tail;

import io.caravan.logs.LogSourceMetrics;
import io.caravan.logs.Pollers;
import io.caravan.logs.SourceStatus;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tail:NAME?path=GLOB}: follows files from a stored position, like Alloy's local.file_match +
 * loki.source.file. Consumer only; emits {@code List<LogEntry>} batches, one file per batch.
 */
public class TailComponent extends DefaultComponent {

    public static final String SCHEME = "tail";

    @Metadata(description = "Directory for positions files; default CARAVAN_DATA_DIR, else ./data")
    private String dataDir;
    private Pollers pollers;
    private final Map<String, LogSourceMetrics> metrics = new ConcurrentHashMap<>();
    private final Set<TailConsumer> consumers = ConcurrentHashMap.newKeySet();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TailEndpoint endpoint = new TailEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        pollers = new Pollers(getCamelContext(), this, "tail");
    }

    @Override
    protected void doStop() throws Exception {
        if (pollers != null) {
            pollers.shutdown();
            pollers = null;
        }
        super.doStop();
    }

    synchronized Pollers pollers() {
        if (pollers == null) {
            pollers = new Pollers(getCamelContext(), this, "tail");
        }
        return pollers;
    }

    LogSourceMetrics metrics(String name) {
        return metrics.computeIfAbsent(name, n -> LogSourceMetrics.of(getCamelContext(), SCHEME, n));
    }

    void register(TailConsumer c) {
        consumers.add(c);
    }

    void unregister(TailConsumer c) {
        consumers.remove(c);
    }

    /** Every running tail endpoint: files followed, positions, lag and last error; for the UI. */
    public List<SourceStatus> getStatuses() {
        return consumers.stream().map(TailConsumer::status).sorted(Comparator.comparing(SourceStatus::endpoint)).toList();
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
