package io.caravan.scrape;

import io.caravan.component.Reconciler;
import io.caravan.model.MetricMetadata;
import io.caravan.model.Sample;
import io.caravan.model.Target;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One scrape job: its settings, where its bodies come from ({@link Fetcher}), its current targets with one
 * {@link ScrapeLoop} each (kept by the {@link Reconciler}), and where the samples go. The producer side of
 * {@code scrape:NAME} replaces the target set; the consumer side receives every scrape's samples.
 */
public final class ScrapeJob {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeJob.class);

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final long offsetSeed;
    private final String userAgent;
    private final ScrapeMetrics metrics;
    private final Reconciler<String, ScrapeTarget, ScrapeLoop> loops = new Reconciler<>(new Reconciler.Workers<>() {
        @Override
        public ScrapeLoop start(String key, ScrapeTarget target) {
            ScrapeLoop before = carried.remove(key);
            ScrapeLoop loop = before == null ? new ScrapeLoop(ScrapeJob.this, target)
                    : new ScrapeLoop(ScrapeJob.this, target, before.appender());
            loop.start();
            return loop;
        }

        @Override
        public void retire(String key, ScrapeLoop loop) {
            loop.stop(); // a target that went away: its series go stale
        }
    });
    private volatile ScrapeSettings settings;
    private String owner;
    private volatile Fetcher httpFetcher;
    private volatile Fetcher localFetcher;
    private final Map<String, String> invalidTargets = new LinkedHashMap<>();
    private volatile Sink sink;

    /** Where a job's scrapes go: a target's samples, and the metadata of the families its body described. */
    @FunctionalInterface
    interface Sink {
        void accept(ScrapeTarget target, List<Sample> samples, List<MetricMetadata> metadata);
    }
    private final AtomicLong unconsumed = new AtomicLong();
    private List<Target> lastTargets;

    /**
     * A reload replaces the job's routes (see {@link ScrapeComponent#beginReload}): the loops, their series memory and
     * their staleness go on across it, as Prometheus keeps a scrape pool's caches over a reload. Guarded by this.
     */
    private boolean reloading;
    private volatile boolean awaitingReader;
    private final Object readerArrived = new Object();
    /** Whether a route configured the job again during the reload, with other options: the loops restart under them. */
    private boolean reconfigured;
    /** Loops halted for new options, by key: the new loop of the same target goes on from their series memory. */
    private final Map<String, ScrapeLoop> carried = new LinkedHashMap<>();
    /** How long a scrape waits for the reload to give the job a reader again before its samples are dropped. */
    static final long RELOAD_READER_WAIT_MS = 30_000;

    ScrapeJob(String name, ScheduledExecutorService scheduler, ExecutorService workers, long offsetSeed, String userAgent) {
        this(name, scheduler, workers, offsetSeed, userAgent, new ScrapeMetrics(Metrics.globalRegistry));
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
        reconfigured |= reloading && this.settings != null;
        this.owner = ownerUri;
        this.settings = settings;
        this.httpFetcher = new HttpFetcher(settings, httpFactory, authorization, userAgent, scheduler, workers);
    }

    /** Set for a job whose targets are an in-process exporter: the body comes from it instead of HTTP. */
    void localSource(Supplier<byte[]> source) {
        this.localFetcher = source == null ? null : new LocalFetcher(source, scheduler, workers);
    }

    Fetcher fetcher() {
        Fetcher local = localFetcher;
        return local != null ? local : httpFetcher;
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
        if (sink == null && reloading) {
            return; // the new reader starts in a moment, and takes these targets then
        }
        if (sink == null) {
            haltAll();
            LOG.info("scrape:{}: {} target(s) wait for a route reading from scrape:{} (they are scraped once one runs)",
                    name, targets.size(), name);
            return;
        }
        Map<String, ScrapeTarget> wanted = new LinkedHashMap<>();
        invalidTargets.clear();
        for (Target t : targets) {
            try {
                ScrapeTarget st = ScrapeTarget.of(t, settings);
                wanted.putIfAbsent(key(st), st);
            } catch (ScrapeTarget.Invalid e) {
                invalidTargets.put(t.labels().toString(), e.getMessage());
            }
        }
        if (!invalidTargets.isEmpty()) {
            LOG.warn("scrape:{} skips {} target(s) it cannot scrape, e.g. {}: {}", name, invalidTargets.size(),
                    invalidTargets.keySet().iterator().next(), invalidTargets.values().iterator().next());
        }
        Reconciler.Change change = loops.sync(wanted);
        if (change.started() > 0 || change.retired() > 0) {
            LOG.info("scrape:{} now has {} target(s): {} started, {} stopped", name, change.started() + change.kept(),
                    change.started(), change.retired());
        }
    }

    private static String key(ScrapeTarget t) {
        return t.url() + "\u0000" + t.labels();
    }

    /**
     * Stops every loop, its series going stale (the producer stops: its targets are withdrawn). During a reload the
     * loops go on instead: the producer is being replaced, and {@link #endReload} stops them if it was not.
     */
    synchronized void stopAll() {
        if (reloading) {
            owner = null;
            return;
        }
        for (ScrapeLoop loop : loops.clear()) {
            loop.stop();
        }
    }

    /** The job's routes are about to be replaced. */
    synchronized void beginReload() {
        reloading = true;
        awaitingReader = true;
        reconfigured = false;
    }

    /**
     * The reload is over: a job no route configures any more stops (its series go stale); one no route reads waits
     * for a reader as at start-up; one configured with other options restarts its loops under them, each going on
     * from its target's series memory (labels computed again, so a changed metric relabeling ends the series it
     * renames with staleness markers); a target that does not come back under them gets its markers.
     */
    synchronized void endReload() {
        reloading = false;
        wakeWaitingScrapes();
        if (owner == null) {
            stopAll();
            return;
        }
        if (sink == null) {
            haltAll();
            return;
        }
        if (!reconfigured || lastTargets == null) {
            return;
        }
        try {
            for (ScrapeLoop loop : loops.clear()) {
                loop.halt();
                loop.appender().relabelAgain();
                carried.put(key(loop.target()), loop);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sync(lastTargets);
        for (ScrapeLoop gone : carried.values()) {
            gone.endOfLife();
        }
        carried.clear();
    }

    private void wakeWaitingScrapes() {
        synchronized (readerArrived) {
            awaitingReader = reloading && sink == null;
            readerArrived.notifyAll();
        }
    }

    /** The reader a reload is about to give the job, waited for at most {@link #RELOAD_READER_WAIT_MS}; null if none came. */
    private Sink awaitReader() {
        long deadline = System.currentTimeMillis() + RELOAD_READER_WAIT_MS;
        synchronized (readerArrived) {
            long left;
            while (sink == null && awaitingReader && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    readerArrived.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return sink;
        }
    }

    /** Stops every loop without staleness markers, each after its last parsed scrape reached the route. */
    private void haltAll() {
        try {
            for (ScrapeLoop loop : loops.clear()) {
                loop.halt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void attach(Sink sink) {
        this.sink = sink;
        wakeWaitingScrapes();
        if (lastTargets != null && settings != null) {
            sync(lastTargets); // the targets that waited for a reader
        }
    }

    synchronized void detach(Sink sink) {
        if (this.sink == sink) {
            if (!reloading) {
                haltAll(); // scrapes start again, on the same targets and series, when a route reads the job again
            }
            this.sink = null; // during a reload scrapes go on, and wait for the new reader (awaitReader)
        }
    }

    void emit(ScrapeTarget target, List<Sample> samples, List<MetricMetadata> metadata) {
        Sink s = sink;
        if (s == null && awaitingReader) {
            s = awaitReader();
        }
        if (s == null) {
            if (unconsumed.getAndAdd(samples.size()) == 0) {
                LOG.warn("scrape:{} has no route reading it (from: scrape:{}); its samples are dropped", name, name);
            }
            return;
        }
        s.accept(target, samples, metadata);
    }

    public String name() {
        return name;
    }

    public synchronized List<TargetHealth> targets() {
        List<ScrapeLoop> running = loops.workers();
        List<TargetHealth> out = new ArrayList<>(running.size());
        for (ScrapeLoop loop : running) {
            out.add(loop.health());
        }
        return out;
    }

    /** Targets discovery offered that could not be scraped, with the reason (shown in the UI). */
    public synchronized Map<String, String> invalidTargets() {
        return new LinkedHashMap<>(invalidTargets);
    }

    /** The URI of the producer endpoint that configured the job (its options); null before one did. */
    synchronized String ownerUri() {
        return owner;
    }

    /** Whether a route reads the job's samples; without one its targets wait. */
    boolean hasReader() {
        return sink != null;
    }

    ScrapeSettings settings() {
        return settings;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    long offsetSeed() {
        return offsetSeed;
    }

    ScrapeMetrics metrics() {
        return metrics;
    }
}
