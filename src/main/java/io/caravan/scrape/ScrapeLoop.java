package io.caravan.scrape;

import io.caravan.http.HttpClients;
import io.caravan.model.Durations;
import io.caravan.model.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The schedule of one target: a scrape every interval, at a fixed offset inside the interval derived from the
 * target's identity (so N targets spread out and a restart keeps the phase, as in Prometheus), never two at once.
 * Each tick has the job's {@link Fetcher} fetch the body and this target's {@link ScrapeAppender} turn it into
 * samples, then hands them to the job, keeps the target's health for the UI and logs a failure when its reason
 * changes, not on every scrape.
 */
final class ScrapeLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);
    private static final long HALT_WAIT_MS = 10_000;

    private final ScrapeJob job;
    private final ScrapeTarget target;
    private final ScrapeAppender appender;
    private final boolean probe; // scraped through a prober: its probe_success is kept for the UI
    private ScheduledFuture<?> schedule;
    private boolean running; // guarded by this
    private boolean inFlight; // guarded by this
    private boolean delivering; // guarded by this: a finished scrape's samples are on their way to the route
    private boolean halting; // guarded by this: the route stops; the scrape under way is still delivered
    private volatile TargetHealth health;
    private String lastReason; // guarded by this: a failure is logged when its reason changes, not every scrape
    private boolean droppingOutOfBounds; // guarded by this: logged when it starts, not every scrape

    ScrapeLoop(ScrapeJob job, ScrapeTarget target) {
        this(job, target, new ScrapeAppender(target, job.metrics()));
    }

    /** A loop that goes on from another's series memory (a reload changed the job's settings, not the target). */
    ScrapeLoop(ScrapeJob job, ScrapeTarget target, ScrapeAppender appender) {
        this.job = job;
        this.target = target;
        this.appender = appender;
        this.probe = ProbeSuccess.isProbe(target);
        this.health = TargetHealth.pending(target);
    }

    ScrapeAppender appender() {
        return appender;
    }

    /** Staleness markers for every series of the last scrape of a loop already halted, whose target did not come back. */
    void endOfLife() {
        List<Sample> stale;
        synchronized (this) {
            stale = appender.endOfLife(System.currentTimeMillis(), health.lastScrapeMs() > 0);
        }
        if (!stale.isEmpty()) {
            job.emit(target, stale, List.of());
        }
    }

    ScrapeTarget target() {
        return target;
    }

    TargetHealth health() {
        return health;
    }

    synchronized void start() {
        running = true;
        long interval = target.intervalMs();
        long offset = Long.remainderUnsigned(fnv64(target.url() + "\u0000" + target.labels()) ^ job.offsetSeed(), interval);
        long now = System.currentTimeMillis();
        long delay = Math.floorMod(offset - now % interval, interval);
        schedule = job.scheduler().scheduleAtFixedRate(this::tick, delay, interval, TimeUnit.MILLISECONDS);
    }

    /** Stops scraping and marks every series of the last scrape stale, as Prometheus does for a target that went away. */
    void stop() {
        List<Sample> stale;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            schedule.cancel(false);
            stale = appender.endOfLife(System.currentTimeMillis(), health.lastScrapeMs() > 0);
        }
        if (!stale.isEmpty()) {
            job.emit(target, stale, List.of());
        }
    }

    /**
     * Stops scraping because the route reading the job stops (the agent shuts down, a route restarts), not
     * because the target went away: no staleness markers, since the next start goes on with the same series
     * (Prometheus skips them too when its scrape manager stops). A scrape under way finishes (within its
     * timeout) and reaches the route before this returns: the target served it, so it is not lost.
     */
    synchronized void halt() throws InterruptedException {
        if (running) {
            running = false;
            halting = true;
            schedule.cancel(false);
        }
        long wait = target.timeoutMs() + HALT_WAIT_MS;
        long deadline = System.currentTimeMillis() + wait;
        long left;
        while ((inFlight || delivering) && (left = deadline - System.currentTimeMillis()) > 0) {
            wait(left);
        }
        if (inFlight || delivering) {
            LOG.warn("scrape:{} {}: the last scrape did not reach the route within {} ms of the stop; stopping without it",
                    job.settings().jobName(), HttpClients.redact(target.url()), wait);
        }
    }

    private void tick() {
        synchronized (this) {
            if (!running || inFlight) {
                return; // the previous scrape is still finishing; never overlap two scrapes of one target
            }
            inFlight = true;
        }
        long startMs = System.currentTimeMillis();
        long startNs = System.nanoTime();
        try {
            job.fetcher().fetch(target, (fetched, err) -> finish(startMs, startNs, fetched, err));
        } catch (RuntimeException e) {
            finish(System.currentTimeMillis(), System.nanoTime(), null, e);
        }
    }

    private void finish(long startMs, long startNs, Fetched fetched, Throwable err) {
        ScrapeAppender.Outcome outcome;
        synchronized (this) {
            try {
                if (!running && !halting) {
                    return; // the target went away while it was scraped
                }
                outcome = appender.append(job.settings(), startMs, startNs, fetched, err);
                ScrapeFailure failure = outcome.failure();
                health = new TargetHealth(target, failure == null ? TargetHealth.State.UP : TargetHealth.State.DOWN,
                        failure == null ? null : failure.message(), startMs, outcome.seconds(), outcome.kept(),
                        probe && failure == null ? ProbeSuccess.of(outcome.samples()) : null);
                logChanges(outcome);
                delivering = true;
            } finally {
                inFlight = false;
                notifyAll();
            }
        }
        try {
            job.emit(target, outcome.samples(), outcome.metadata());
        } finally {
            synchronized (this) {
                delivering = false;
                notifyAll();
            }
        }
    }

    /** A failure when its reason changes, the recovery, and out-of-bounds timestamps when they start. */
    private void logChanges(ScrapeAppender.Outcome outcome) {
        ScrapeFailure failure = outcome.failure();
        if (failure != null) {
            if (!failure.reason().equals(lastReason)) {
                LOG.warn("scrape:{} {} failed (up=0): {}", job.settings().jobName(), HttpClients.redact(target.url()), failure.message());
            }
            lastReason = failure.reason();
            return;
        }
        if (lastReason != null) {
            LOG.info("scrape:{} {} is up again", job.settings().jobName(), HttpClients.redact(target.url()));
            lastReason = null;
        }
        if ((outcome.outOfBounds() != null) != droppingOutOfBounds) {
            droppingOutOfBounds = outcome.outOfBounds() != null;
            if (droppingOutOfBounds) {
                logOutOfBounds(outcome);
            }
        }
    }

    private void logOutOfBounds(ScrapeAppender.Outcome outcome) {
        long maxAge = job.settings().maxSampleAgeMs();
        Sample example = outcome.outOfBounds();
        LOG.warn("scrape:{} {}: {} samples have timestamps a receiver refuses, {} older than maxSampleAge ({}) and {} more than {} "
                        + "ahead of the scrape, e.g. {} at {}; they are dropped (caravan_scrape_samples_dropped_total reason too_old, "
                        + "too_far_in_future): check the exporter's clock and the timestamps it exposes, or set honorTimestamps=false",
                job.settings().jobName(), HttpClients.redact(target.url()), outcome.tooOld() + outcome.tooNew(), outcome.tooOld(),
                maxAge > 0 ? Durations.format(maxAge) : "no limit", outcome.tooNew(), Durations.format(ScrapeAppender.MAX_AHEAD_MS),
                example.labels(), Instant.ofEpochMilli(example.timestampMs()));
    }

    static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
