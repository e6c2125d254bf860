package io.caravan.scrape;

import io.caravan.model.Sample;
import io.caravan.model.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One scrape job: its settings, its current targets with one {@link ScrapeLoop} each, and where the
 * samples go. The producer side of {@code scrape:NAME} replaces the target set; the consumer side
 * receives every scrape's samples.
 */
public final class ScrapeJob {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeJob.class);

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final long offsetSeed;
    private final String userAgent;
    private final ScrapeMetrics metrics;
    private volatile ScrapeSettings settings;
    private String owner;
    private Supplier<HttpClient> httpFactory;
    private volatile HttpClient http;
    private Supplier<String> authorization;
    private volatile Supplier<byte[]> localSource;
    private final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
    private final Map<String, String> invalidTargets = new LinkedHashMap<>();
    private volatile BiConsumer<ScrapeTarget, List<Sample>> sink;
    private final AtomicLong unconsumed = new AtomicLong();
    private List<Target> lastTargets;

    ScrapeJob(String name, ScheduledExecutorService scheduler, ExecutorService workers, long offsetSeed, String userAgent) {
        this(name, scheduler, workers, offsetSeed, userAgent, new ScrapeMetrics(io.micrometer.core.instrument.Metrics.globalRegistry));
    }

    ScrapeJob(String name, ScheduledExecutorService scheduler, ExecutorService workers, long offsetSeed, String userAgent,
              ScrapeMetrics metrics) {
        this.metrics = metrics;
        this.name = name;
        this.scheduler = scheduler;
        this.workers = workers;
        this.offsetSeed = offsetSeed;
        this.userAgent = userAgent;
    }

    /** Called by the producer endpoint that owns the job; a second endpoint configuring the same job is a config error. */
    synchronized void configure(ScrapeSettings settings, Supplier<HttpClient> httpFactory, Supplier<String> authorization, String ownerUri) {
        if (owner != null && !owner.equals(ownerUri)) {
            throw new IllegalStateException("scrape:" + name + " is configured twice (" + owner + " and " + ownerUri
                    + "); give each job its own name");
        }
        this.owner = ownerUri;
        this.settings = settings;
        this.httpFactory = httpFactory;
        this.http = null;
        this.authorization = authorization;
    }

    /**
     * Replaces the target set: new targets start, vanished ones stop (their series go stale), kept ones go on
     * undisturbed. While no route reads the job's samples (start-up, shutdown, a route restart) the targets
     * wait instead: a scrape nobody reads would only be dropped.
     */
    public synchronized void sync(List<Target> targets) {
        if (settings == null) {
            throw new IllegalStateException("scrape:" + name + " received targets before it was configured");
        }
        lastTargets = targets;
        if (sink == null) {
            if (!loops.isEmpty()) {
                haltAll();
            }
            LOG.info("scrape:{}: {} target(s) wait for a route reading from scrape:{} (they are scraped once one runs)",
                    name, targets.size(), name);
            return;
        }
        Map<String, ScrapeTarget> wanted = new LinkedHashMap<>();
        invalidTargets.clear();
        for (Target t : targets) {
            try {
                ScrapeTarget st = ScrapeTarget.of(t, settings);
                wanted.putIfAbsent(st.url() + "\u0000" + st.labels(), st);
            } catch (ScrapeTarget.Invalid e) {
                invalidTargets.put(t.labels().toString(), e.getMessage());
            }
        }
        if (!invalidTargets.isEmpty()) {
            LOG.warn("scrape:{} skips {} target(s) it cannot scrape, e.g. {}: {}", name, invalidTargets.size(),
                    invalidTargets.keySet().iterator().next(), invalidTargets.values().iterator().next());
        }
        Set<String> gone = new HashSet<>(loops.keySet());
        gone.removeAll(wanted.keySet());
        for (String key : gone) {
            loops.remove(key).stop();
        }
        int started = 0;
        for (Map.Entry<String, ScrapeTarget> e : wanted.entrySet()) {
            if (!loops.containsKey(e.getKey())) {
                ScrapeLoop loop = new ScrapeLoop(this, e.getValue());
                loops.put(e.getKey(), loop);
                loop.start();
                started++;
            }
        }
        if (started > 0 || !gone.isEmpty()) {
            LOG.info("scrape:{} now has {} target(s): {} started, {} stopped", name, loops.size(), started, gone.size());
        }
    }

    synchronized void stopAll() {
        for (ScrapeLoop loop : loops.values()) {
            loop.stop();
        }
        loops.clear();
    }

    /** Stops every loop without staleness markers, each after its last parsed scrape reached the route. */
    private void haltAll() {
        try {
            for (ScrapeLoop loop : loops.values()) {
                loop.halt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.clear();
    }

    synchronized void attach(BiConsumer<ScrapeTarget, List<Sample>> sink) {
        this.sink = sink;
        if (lastTargets != null && settings != null) {
            sync(lastTargets); // the targets that waited for a reader
        }
    }

    synchronized void detach(BiConsumer<ScrapeTarget, List<Sample>> sink) {
        if (this.sink == sink) {
            haltAll(); // scrapes start again, on the same targets and series, when a route reads the job again
            this.sink = null;
        }
    }

    void emit(ScrapeTarget target, List<Sample> samples) {
        BiConsumer<ScrapeTarget, List<Sample>> s = sink;
        if (s == null) {
            if (unconsumed.getAndAdd(samples.size()) == 0) {
                LOG.warn("scrape:{} has no route reading it (from: scrape:{}); its samples are dropped", name, name);
            }
            return;
        }
        s.accept(target, samples);
    }

    public String name() {
        return name;
    }

    public synchronized List<TargetHealth> targets() {
        List<TargetHealth> out = new ArrayList<>(loops.size());
        for (ScrapeLoop loop : loops.values()) {
            out.add(loop.health());
        }
        return out;
    }

    /** Targets discovery offered that could not be scraped, with the reason (shown in the UI). */
    public synchronized Map<String, String> invalidTargets() {
        return new LinkedHashMap<>(invalidTargets);
    }

    ScrapeSettings settings() {
        return settings;
    }

    /**
     * The job's client, built on first use: a CA file that is not there yet (no service account outside a
     * cluster) then fails each scrape with a clear error (up=0) instead of failing the agent's start.
     */
    HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = httpFactory.get();
                }
                h = http;
            }
        }
        return h;
    }

    /** Set for a job whose targets are an in-process exporter: the body comes from it instead of HTTP. */
    void localSource(Supplier<byte[]> source) {
        this.localSource = source;
    }

    Supplier<byte[]> localSource() {
        return localSource;
    }

    String authorization() {
        return authorization == null ? null : authorization.get();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    long offsetSeed() {
        return offsetSeed;
    }

    String userAgent() {
        return userAgent;
    }

    ScrapeMetrics metrics() {
        return metrics;
    }
}
