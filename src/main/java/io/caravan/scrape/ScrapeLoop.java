package io.caravan.scrape;

import io.caravan.http.HttpClients;
import io.caravan.model.Durations;
import io.caravan.model.Labels;
import io.caravan.model.Sample;
import io.caravan.scrape.parse.ExpositionParseException;
import io.caravan.scrape.parse.ExpositionParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Scrapes one target on its interval, at a fixed offset inside the interval derived from the target's
 * identity (so N targets spread out and a restart keeps the phase, as in Prometheus). The HTTP exchange
 * is asynchronous and cut at the timeout, so a slow or hung target costs only itself: other loops never
 * wait on it. Each scrape yields its samples, staleness markers for series that went away, and the
 * report series {@code up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped},
 * {@code scrape_samples_post_metric_relabeling} and {@code scrape_series_added}. A sample whose own
 * timestamp a receiver would refuse is dropped here, counted, as Prometheus' scrape drops it as out of
 * bounds: passed on, it would fail the whole remote-write request it travels in.
 */
final class ScrapeLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);
    private static final long HALT_WAIT_MS = 10_000;
    /**
     * How far ahead of the scrape a sample's own timestamp may be: Prometheus' scrape refuses later ones
     * (its maxAheadTime), and so does Mimir (its creation grace period, 10m by default). A Prometheus
     * receiver would take one, and its head would then refuse every current sample as out of bounds.
     */
    static final long MAX_AHEAD_MS = 10 * 60_000;
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private final ScrapeJob job;
    private final ScrapeTarget target;
    private final SeriesCache cache = new SeriesCache();
    private final Labels.Builder scratch = new Labels.Builder();
    private final Labels upLabels;
    private final Labels durationLabels;
    private final Labels scrapedLabels;
    private final Labels postRelabelLabels;
    private final Labels seriesAddedLabels;
    private ScheduledFuture<?> schedule;
    private boolean running; // guarded by this
    private boolean inFlight; // guarded by this
    private boolean delivering; // guarded by this: a finished scrape's samples are on their way to the route
    private boolean halting; // guarded by this: the route stops; the scrape under way is still delivered
    private volatile TargetHealth health;
    private String lastReason; // guarded by this: a failure is logged when its reason changes, not every scrape
    private boolean droppingOutOfBounds; // guarded by this: logged when it starts, not every scrape

    ScrapeLoop(ScrapeJob job, ScrapeTarget target) {
        this.job = job;
        this.target = target;
        this.upLabels = reportLabels("up");
        this.durationLabels = reportLabels("scrape_duration_seconds");
        this.scrapedLabels = reportLabels("scrape_samples_scraped");
        this.postRelabelLabels = reportLabels("scrape_samples_post_metric_relabeling");
        this.seriesAddedLabels = reportLabels("scrape_series_added");
        this.health = TargetHealth.pending(target);
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
        List<Sample> stale = new ArrayList<>();
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            schedule.cancel(false);
            long now = System.currentTimeMillis();
            cache.endOfLife(l -> stale.add(new Sample(l, now, Sample.STALE_NAN)));
            if (health.lastScrapeMs() > 0) {
                for (Labels l : List.of(upLabels, durationLabels, scrapedLabels, postRelabelLabels, seriesAddedLabels)) {
                    stale.add(new Sample(l, now, Sample.STALE_NAN));
                }
            }
        }
        if (!stale.isEmpty()) {
            job.emit(target, stale);
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
        try {
            scrape();
        } catch (RuntimeException e) {
            finish(System.currentTimeMillis(), System.nanoTime(), null, e);
        }
    }

    /** A scrape's body and how to read it, from HTTP or from an in-process exporter. */
    private record Fetched(byte[] body, String contentType) {
    }

    private void scrape() {
        long startMs = System.currentTimeMillis();
        long startNs = System.nanoTime();
        if (job.localSource() != null) {
            scrapeLocal(startMs, startNs);
        } else {
            scrapeHttp(startMs, startNs);
        }
    }

    /** An in-process exporter (the built-in node exporter): no socket, same timeout and reporting as HTTP. */
    private void scrapeLocal(long startMs, long startNs) {
        CompletableFuture<Fetched> call = CompletableFuture.supplyAsync(
                () -> new Fetched(job.localSource().get(), "text/plain; version=0.0.4"), job.workers());
        ScheduledFuture<?> timer = job.scheduler().schedule(
                () -> call.completeExceptionally(new HttpTimeoutException("scrape timed out")), target.timeoutMs(), TimeUnit.MILLISECONDS);
        call.whenCompleteAsync((fetched, err) -> {
            timer.cancel(false);
            finish(startMs, startNs, fetched, err);
        }, job.workers());
    }

    private void scrapeHttp(long startMs, long startNs) {
        HttpRequest.Builder req = HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofMillis(target.timeoutMs()))
                .header("Accept", ACCEPT)
                .header("User-Agent", job.userAgent())
                .header("X-Prometheus-Scrape-Timeout-Seconds", String.format(Locale.ROOT, "%.3f", target.timeoutMs() / 1000.0))
                .GET();
        if (job.settings().enableCompression()) {
            req.header("Accept-Encoding", "gzip");
        }
        String auth = job.authorization();
        if (auth != null) {
            req.header("Authorization", auth);
        }
        BoundedBody body = new BoundedBody(job.settings().bodySizeLimit());
        CompletableFuture<HttpResponse<byte[]>> call = job.http().sendAsync(req.build(), body);
        ScheduledFuture<?> timer = job.scheduler().schedule(() -> {
            body.abort(new HttpTimeoutException("scrape timed out after " + target.timeoutMs() + "ms"));
            call.cancel(true);
        }, target.timeoutMs(), TimeUnit.MILLISECONDS);
        call.whenCompleteAsync((resp, err) -> {
            timer.cancel(false);
            Fetched fetched = null;
            Throwable failure = err;
            if (err == null) {
                try {
                    fetched = new Fetched(body(resp, job.settings().bodySizeLimit()), resp.headers().firstValue("Content-Type").orElse(""));
                } catch (Exception e) {
                    failure = e;
                }
            }
            finish(startMs, startNs, fetched, failure);
        }, job.workers());
    }

    private void finish(long startMs, long startNs, Fetched fetched, Throwable err) {
        List<Sample> out = new ArrayList<>();
        String error = null;
        int scraped = 0;
        int kept = 0;
        int added = 0;
        int duplicates = 0;
        int tooOld = 0;
        int tooNew = 0;
        Sample outOfBounds = null; // the first one, for the log
        synchronized (this) {
            try {
                if (!running && !halting) {
                    return; // the target went away while it was scraped
                }
                long iteration = cache.beginScrape();
                try {
                    if (err != null) {
                        throw unwrap(err);
                    }
                    byte[] payload = fetched.body();
                    if (isWebPage(fetched.contentType())) {
                        throw new NotMetrics(fetched.contentType());
                    }
                    ExpositionParser parser = ExpositionParser.forContentType(fetched.contentType());
                    parser.reset(payload, 0, payload.length);
                    ScrapeSettings settings = job.settings();
                    boolean honorTimestamps = settings.honorTimestamps();
                    long oldest = settings.maxSampleAgeMs() > 0 ? startMs - settings.maxSampleAgeMs() : Long.MIN_VALUE;
                    long span = startMs + MAX_AHEAD_MS - oldest; // unsigned: may exceed Long.MAX_VALUE
                    ExpositionParser.Entry entry;
                    while ((entry = parser.next()) != ExpositionParser.Entry.EOF) {
                        if (entry != ExpositionParser.Entry.SERIES) {
                            continue;
                        }
                        scraped++;
                        SeriesCache.Entry e = cache.get(payload, parser.seriesOffset(), parser.seriesLength());
                        if (e == null) {
                            e = cache.put(payload, parser.seriesOffset(), parser.seriesLength(), seriesLabels(parser));
                            if (e.labels != null) {
                                added++;
                            }
                        }
                        if (e.lastSeen == iteration) {
                            if (e.labels != null) {
                                duplicates++; // the same series twice in one body: Prometheus keeps the first
                            }
                            continue;
                        }
                        e.lastSeen = iteration;
                        if (e.labels == null) {
                            continue;
                        }
                        // a timestamp ignored (honorTimestamps=false) is no timestamp: the series gets staleness markers
                        e.explicitTimestamp = honorTimestamps && parser.hasTimestamp();
                        long ts = startMs;
                        if (e.explicitTimestamp) {
                            ts = parser.timestampMs();
                            if (Long.compareUnsigned(ts - oldest, span) > 0) { // one test for both bounds
                                if (ts < oldest) {
                                    tooOld++;
                                } else {
                                    tooNew++;
                                }
                                if (outOfBounds == null) {
                                    outOfBounds = new Sample(e.labels, ts, parser.value());
                                }
                                if (e.created == iteration) {
                                    added--; // Prometheus counts a series as added with its first appended sample
                                }
                                kept++; // still a sample after relabeling, also for sample_limit, as in Prometheus
                                continue;
                            }
                        }
                        out.add(new Sample(e.labels, ts, parser.value()));
                        kept++;
                    }
                    int limit = job.settings().sampleLimit();
                    if (limit > 0 && kept > limit) {
                        throw new SampleLimitExceeded(kept, limit);
                    }
                    cache.endScrape(l -> out.add(new Sample(l, startMs, Sample.STALE_NAN)));
                } catch (Exception e) {
                    error = describe(e);
                    String reason = reason(e);
                    job.metrics().failed(job.settings().jobName(), reason);
                    if (e instanceof SampleLimitExceeded) {
                        job.metrics().dropped(job.settings().jobName(), ScrapeMetrics.SAMPLE_LIMIT, kept);
                    }
                    if (!reason.equals(lastReason)) {
                        LOG.warn("scrape:{} {} failed (up=0): {}", job.settings().jobName(), HttpClients.redact(target.url()), error);
                    }
                    lastReason = reason;
                    duplicates = 0;
                    tooOld = 0;
                    tooNew = 0;
                    out.clear();
                    scraped = 0;
                    kept = 0;
                    added = 0;
                    cache.failScrape(l -> out.add(new Sample(l, startMs, Sample.STALE_NAN)));
                }
                double seconds = (System.nanoTime() - startNs) / 1e9;
                out.add(new Sample(upLabels, startMs, error == null ? 1 : 0));
                out.add(new Sample(durationLabels, startMs, seconds));
                out.add(new Sample(scrapedLabels, startMs, scraped));
                out.add(new Sample(postRelabelLabels, startMs, kept));
                out.add(new Sample(seriesAddedLabels, startMs, added));
                health = new TargetHealth(target, error == null ? TargetHealth.State.UP : TargetHealth.State.DOWN, error,
                        startMs, seconds, kept);
                if (error == null && lastReason != null) {
                    LOG.info("scrape:{} {} is up again", job.settings().jobName(), HttpClients.redact(target.url()));
                    lastReason = null;
                }
                job.metrics().dropped(job.settings().jobName(), ScrapeMetrics.DUPLICATE, duplicates);
                job.metrics().dropped(job.settings().jobName(), ScrapeMetrics.TOO_OLD, tooOld);
                job.metrics().dropped(job.settings().jobName(), ScrapeMetrics.TOO_FAR_IN_FUTURE, tooNew);
                if (error == null && (outOfBounds != null) != droppingOutOfBounds) {
                    droppingOutOfBounds = outOfBounds != null;
                    if (droppingOutOfBounds) {
                        logOutOfBounds(tooOld, tooNew, outOfBounds);
                    }
                }
                delivering = true;
            } finally {
                inFlight = false;
                notifyAll();
            }
        }
        try {
            job.emit(target, out);
        } finally {
            synchronized (this) {
                delivering = false;
                notifyAll();
            }
        }
    }

    private void logOutOfBounds(int tooOld, int tooNew, Sample example) {
        long maxAge = job.settings().maxSampleAgeMs();
        LOG.warn("scrape:{} {}: {} samples have timestamps a receiver refuses, {} older than maxSampleAge ({}) and {} more than {} "
                        + "ahead of the scrape, e.g. {} at {}; they are dropped (caravan_scrape_samples_dropped_total reason too_old, "
                        + "too_far_in_future): check the exporter's clock and the timestamps it exposes, or set honorTimestamps=false",
                job.settings().jobName(), HttpClients.redact(target.url()), tooOld + tooNew, tooOld,
                maxAge > 0 ? Durations.format(maxAge) : "no limit", tooNew, Durations.format(MAX_AHEAD_MS),
                example.labels(), java.time.Instant.ofEpochMilli(example.timestampMs()));
    }

    /** The failure that says what happened: the HTTP client wraps a body's own exception (size, timeout) in others. */
    private static Exception unwrap(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BoundedBody.TooLarge || t instanceof HttpTimeoutException || t instanceof CancellationException) {
                return (Exception) t;
            }
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause instanceof Exception ex ? ex : new IllegalStateException(cause);
    }

    private static byte[] body(HttpResponse<byte[]> resp, long limit) throws Exception {
        if (resp.statusCode() != 200) {
            throw new BadStatus(resp.statusCode());
        }
        byte[] body = resp.body();
        if (resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false)) {
            // the limit is on the uncompressed body, as Prometheus' body_size_limit: a small gzip bomb is stopped too
            long max = limit <= 0 ? Integer.MAX_VALUE - 8 : Math.min(limit, Integer.MAX_VALUE - 8);
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                byte[] plain = in.readNBytes((int) max + 1);
                if (plain.length > max) {
                    throw new BoundedBody.TooLarge(limit);
                }
                return plain;
            }
        }
        return body;
    }

    /** text/html is a web page (a wrong path, a login redirect): failed as such, not as line 1 of a bad exposition. */
    private static boolean isWebPage(String contentType) {
        return contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("text/html");
    }

    private static final class NotMetrics extends IOException {
        NotMetrics(String contentType) {
            super("the target answered '" + contentType + "', a web page, not Prometheus metrics; check the address and "
                    + "metricsPath (a wrong path or a login page?)");
        }
    }

    private static final class BadStatus extends IOException {
        BadStatus(int status) {
            super("server returned HTTP status " + status + " (expected 200)"
                    + (status == 401 || status == 403 ? "; check bearerTokenFile and the target's RBAC" : "")
                    + (status == 404 ? "; check metricsPath" : ""));
        }
    }

    private static final class SampleLimitExceeded extends IllegalStateException {
        SampleLimitExceeded(int kept, int limit) {
            super("sample_limit exceeded: " + kept + " samples after relabeling, limit " + limit
                    + "; the whole scrape is dropped: raise sampleLimit or drop series with metricRelabel");
        }
    }

    /** The sample's labels after target labels and metric relabeling, or null when relabeling drops it. */
    private Labels seriesLabels(ExpositionParser parser) {
        scratch.reset();
        parser.labels(scratch);
        Labels targetLabels = target.labels();
        if (job.settings().honorLabels()) {
            for (int i = 0; i < targetLabels.size(); i++) {
                if (scratch.get(targetLabels.name(i)) == null) {
                    scratch.set(targetLabels.name(i), targetLabels.value(i));
                }
            }
        } else {
            for (int i = 0; i < targetLabels.size(); i++) {
                String name = targetLabels.name(i);
                String exposed = scratch.get(name);
                if (exposed != null) {
                    // Keep the target's value and move the exposed one aside, as Prometheus does.
                    String exported = "exported_" + name;
                    while (scratch.get(exported) != null) {
                        exported = "exported_" + exported;
                    }
                    scratch.set(exported, exposed);
                }
                scratch.set(name, targetLabels.value(i));
            }
        }
        Labels labels = scratch.build();
        if (job.settings().metricRelabel() != null) {
            labels = job.settings().metricRelabel().apply(labels);
            if (labels == null || labels.isEmpty()) {
                return null;
            }
        }
        return labels;
    }

    private Labels reportLabels(String name) {
        return target.labels().toBuilder().set("__name__", name).build();
    }

    private String describe(Throwable e) {
        if (e instanceof HttpTimeoutException || e instanceof CancellationException) {
            return "scrape timed out after " + Durations.format(target.timeoutMs())
                    + " (scrape timeout); the target is too slow or stalled: fix it, or raise timeout";
        }
        if (e instanceof ExpositionParseException) {
            return "cannot parse the response: " + e.getMessage() + "; the whole scrape is dropped: fix the exporter";
        }
        if (e instanceof BoundedBody.TooLarge) {
            return e.getMessage() + "; raise bodySizeLimit or have the target expose fewer series";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                // the JDK client's ConnectException often has no message at all: say what it means
                return "cannot connect to " + target.url().getHost() + ":" + target.url().getPort()
                        + " (connection refused or unreachable); check that the target runs and its address and port";
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The {@code reason} tag of a failed scrape. */
    private static String reason(Throwable e) {
        if (e instanceof HttpTimeoutException || e instanceof CancellationException) {
            return ScrapeMetrics.TIMEOUT;
        }
        if (e instanceof ExpositionParseException) {
            return ScrapeMetrics.PARSE_ERROR;
        }
        if (e instanceof BoundedBody.TooLarge) {
            return ScrapeMetrics.BODY_SIZE_LIMIT;
        }
        if (e instanceof SampleLimitExceeded) {
            return ScrapeMetrics.SAMPLE_LIMIT;
        }
        if (e instanceof NotMetrics) {
            return ScrapeMetrics.NOT_METRICS;
        }
        if (e instanceof BadStatus) {
            return ScrapeMetrics.HTTP_STATUS;
        }
        return ScrapeMetrics.CONNECTION;
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
