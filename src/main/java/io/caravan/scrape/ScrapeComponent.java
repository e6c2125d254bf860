package io.caravan.scrape;

import io.caravan.component.CaravanComponent;
import io.caravan.component.ComponentStatus;
import io.caravan.component.ReloadAware;
import io.caravan.http.UserAgent;
import org.apache.camel.Endpoint;

import java.util.ArrayList;
import java.util.Comparator;
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
public class ScrapeComponent extends CaravanComponent implements ReloadAware {

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
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        scheduler = scheduledPool("scrape-timer", 1);
        workers = threadPool("scrape-worker", cores);
        // Agents on different nodes get different phases for the same target, as Prometheus seeds by host.
        String node = System.getenv().getOrDefault("NODE_NAME", System.getenv().getOrDefault("HOSTNAME", ""));
        offsetSeed = ScrapeLoop.fnv64(node);
        metrics = new ScrapeMetrics(meters());
    }

    @Override
    protected void doStop() throws Exception {
        for (ScrapeJob job : jobs.values()) {
            job.stopAll();
        }
        jobs.clear();
        super.doStop(); // shuts the timer and the workers down
    }

    ScrapeJob job(String name) {
        return jobs.computeIfAbsent(name, n -> new ScrapeJob(n, scheduler, workers, offsetSeed, UserAgent.CARAVAN,
                metrics != null ? metrics : new ScrapeMetrics(meters())));
    }

    /** Every job's loops and series memory go on while its routes are replaced (see {@link ScrapeJob#endReload}). */
    @Override
    public void beginReload(java.util.Set<String> replacedRoutes) {
        jobs.values().forEach(ScrapeJob::beginReload);
    }

    @Override
    public void endReload() {
        jobs.values().forEach(ScrapeJob::endReload);
    }

    /** Every job, for the UI and health checks. */
    public List<ScrapeJob> jobs() {
        return new ArrayList<>(jobs.values());
    }

    /** One status per job, by job name, its targets as items. */
    @Override
    public List<ComponentStatus> statuses() {
        return jobs.values().stream().sorted(Comparator.comparing(ScrapeJob::name)).map(ScrapeJobStatus::of).toList();
    }
}
