package io.caravan.scrape;

import io.caravan.http.UserAgent;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code scrape:JOB}: Prometheus-style scraping. As a producer ({@code to}) it takes the job's target list
 * and runs one loop per target; as a consumer ({@code from}) it emits each scrape's samples. All jobs share
 * one small timer thread and a worker pool sized to the cores: the HTTP exchanges are asynchronous, so no
 * thread ever waits on a slow target.
 */
public class ScrapeComponent extends DefaultComponent {

    private final Map<String, ScrapeJob> jobs = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private long offsetSeed;
    private ScrapeMetrics metrics;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ScrapeEndpoint endpoint = new ScrapeEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var esm = getCamelContext().getExecutorServiceManager();
        scheduler = esm.newScheduledThreadPool(this, "scrape-timer", 1);
        workers = esm.newThreadPool(this, "scrape-worker", Math.max(2, Runtime.getRuntime().availableProcessors()),
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        // Agents on different nodes get different phases for the same target, as Prometheus seeds by host.
        String node = System.getenv().getOrDefault("NODE_NAME", System.getenv().getOrDefault("HOSTNAME", ""));
        offsetSeed = ScrapeLoop.fnv64(node);
        metrics = ScrapeMetrics.of(getCamelContext());
    }

    @Override
    protected void doStop() throws Exception {
        for (ScrapeJob job : jobs.values()) {
            job.stopAll();
        }
        jobs.clear();
        getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
        getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
        super.doStop();
    }

    ScrapeJob job(String name) {
        return jobs.computeIfAbsent(name, n -> new ScrapeJob(n, scheduler, workers, offsetSeed, UserAgent.CARAVAN,
                metrics != null ? metrics : ScrapeMetrics.of(getCamelContext())));
    }

    /** Every job, for the UI and health checks. */
    public List<ScrapeJob> jobs() {
        return new ArrayList<>(jobs.values());
    }
}
