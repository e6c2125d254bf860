package io.caravan.component;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every Caravan component shares, in one place: the meter registry, the Kubernetes client, the data
 * directory, threads from Camel's {@link ExecutorServiceManager} (named, shut down with the component, seen by
 * Camel's thread-pool profiles and JMX), and the loading of rule, stage and target files. A component reports
 * its endpoints through {@link StatusSource}.
 */
public abstract class CaravanComponent extends DefaultComponent implements StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(CaravanComponent.class);

    /** The one property (an environment variable in a pod) naming where state lives: positions, queues, WALs. */
    public static final String DATA_DIR_PROPERTY = "CARAVAN_DATA_DIR";
    static final String DATA_DIR_DEFAULT = "./data";

    private final List<ExecutorService> executors = new ArrayList<>();
    private KubernetesClient kubernetesClient;
    private boolean ownsKubernetesClient;

    /** The application's registry (Spring's, so /actuator/prometheus shows it), else Micrometer's global one. */
    public MeterRegistry meters() {
        return meters(getCamelContext());
    }

    public static MeterRegistry meters(CamelContext camel) {
        MeterRegistry r = camel == null ? null : camel.getRegistry().findSingleByType(MeterRegistry.class);
        return r != null ? r : Metrics.globalRegistry;
    }

    /**
     * The agent's one client (a bean, so one connection pool and one set of credentials), else one of this
     * component's own, configured by fabric8 as usual (service account, kubeconfig, KUBERNETES_MASTER) and closed
     * with it. Building it does not contact the API server.
     */
    public synchronized KubernetesClient kubernetesClient() {
        if (kubernetesClient == null) {
            kubernetesClient = getCamelContext().getRegistry().findSingleByType(KubernetesClient.class);
            if (kubernetesClient == null) {
                kubernetesClient = new KubernetesClientBuilder().build();
                ownsKubernetesClient = true;
                LOG.info("{}: no KubernetesClient in the registry, using its own for {}", getClass().getSimpleName(),
                        kubernetesClient.getMasterUrl());
            }
        }
        return kubernetesClient;
    }

    /** For tests and for wiring by hand: a client the caller owns. */
    public synchronized void setKubernetesClient(KubernetesClient client) {
        this.kubernetesClient = client;
        this.ownsKubernetesClient = false;
    }

    /** {@code CARAVAN_DATA_DIR} (a property or environment variable), else {@code ./data}. */
    public Path dataDir() {
        return dataDir(getCamelContext());
    }

    public static Path dataDir(CamelContext camel) {
        String dir = camel.resolvePropertyPlaceholders("{{" + DATA_DIR_PROPERTY + ":" + DATA_DIR_DEFAULT + "}}");
        return Path.of(dir.isBlank() ? DATA_DIR_DEFAULT : dir);
    }

    /** A fixed pool of daemon threads named after the component, shut down (waiting for tasks) when it stops. */
    protected ExecutorService threadPool(String name, int threads) {
        ExecutorService pool = executorServices().newThreadPool(this, name, threads, threads);
        executors.add(pool);
        return pool;
    }

    /** A scheduled pool, shut down at once when the component stops. */
    protected ScheduledExecutorService scheduledPool(String name, int threads) {
        ScheduledExecutorService pool = executorServices().newScheduledThreadPool(this, name, threads);
        executors.add(pool);
        return pool;
    }

    private ExecutorServiceManager executorServices() {
        return getCamelContext().getExecutorServiceManager();
    }

    /**
     * The text of a rule, stage or target file with the route's placeholders resolved. {@code location} is
     * {@code classpath:...}, {@code file:...} or a plain path; {@code what} names the option it came from, so an
     * error says which setting to fix.
     */
    public String readResource(String what, String location) throws IOException {
        return readResource(getCamelContext(), what, location);
    }

    public static String readResource(CamelContext camel, String what, String location) throws IOException {
        return camel.resolvePropertyPlaceholders(readResourceVerbatim(camel, what, location));
    }

    /**
     * As {@link #readResource(String, String)}, placeholders left as written: for files that resolve them value by
     * value (stage files, whose YAML flow mappings end in "}}", which a resolver over the whole text refuses).
     */
    public String readResourceVerbatim(String what, String location) throws IOException {
        return readResourceVerbatim(getCamelContext(), what, location);
    }

    public static String readResourceVerbatim(CamelContext camel, String what, String location) throws IOException {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: give a file (classpath:, file: or a path)");
        }
        String uri = location.startsWith("classpath:") || location.startsWith("file:") ? location : "file:" + location;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, uri)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(what + ": cannot read " + location + " (" + e.getMessage()
                    + "); check the path, its prefix (classpath: or file:) and its permissions", e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (ExecutorService pool : executors) {
            if (pool instanceof ScheduledExecutorService) {
                executorServices().shutdownNow(pool);
            } else {
                executorServices().shutdownGraceful(pool);
            }
        }
        executors.clear();
        synchronized (this) {
            if (ownsKubernetesClient && kubernetesClient != null) {
                kubernetesClient.close();
            }
            kubernetesClient = null;
            ownsKubernetesClient = false;
        }
        super.doStop();
    }

    /** By default a component has nothing to report. */
    @Override
    public List<ComponentStatus> statuses() {
        return List.of();
    }
}
