package io.caravan.logs;

import io.caravan.component.CaravanComponent;
import org.apache.camel.spi.Metadata;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What tail: and pod-logs: share on top of the Caravan kit: where a source's positions file lives, the threads
 * that poll the followers, and one set of counters per source name.
 */
public abstract class LogSourceComponent extends CaravanComponent {

    @Metadata(description = "Directory for positions files; default CARAVAN_DATA_DIR, else ./data")
    private String dataDir;
    private final String scheme;
    private Pollers pollers;
    // kept for the component's life: a restarted source counts on, and its gauge stays the registered one
    private final Map<String, LogSourceMetrics> metrics = new ConcurrentHashMap<>();

    protected LogSourceComponent(String scheme) {
        this.scheme = scheme;
    }

    public String scheme() {
        return scheme;
    }

    /** The positions file of source {@code name}: under the endpoint's dataDir, else the component's, else {@link #dataDir()}. */
    public Path positionsFile(String endpointDataDir, String name) {
        Path dir = isSet(endpointDataDir) ? Path.of(endpointDataDir) : isSet(dataDir) ? Path.of(dataDir) : dataDir();
        return PositionStore.fileFor(dir, scheme, name);
    }

    private static boolean isSet(String option) {
        return option != null && !option.isBlank();
    }

    /** The followers' threads, from Camel's ExecutorServiceManager; made when first needed, shut down with the component. */
    public synchronized Pollers pollers() {
        if (pollers == null) {
            pollers = new Pollers(getCamelContext(), this, scheme);
        }
        return pollers;
    }

    public LogSourceMetrics metrics(String name) {
        return metrics.computeIfAbsent(name, n -> new LogSourceMetrics(meters(), scheme, n));
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (pollers != null) {
                pollers.shutdown();
                pollers = null;
            }
        }
        super.doStop();
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }
}
