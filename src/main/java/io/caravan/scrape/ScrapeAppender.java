package io.caravan.scrape;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.MetricMetadata;
import io.caravan.model.NativeHistogram;
import io.caravan.model.Sample;
import io.caravan.scrape.parse.ExpositionOptions;
import io.caravan.scrape.parse.ExpositionParser;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one target's fetched bodies into samples, as Prometheus' scrape appender: parse, target labels merged
 * ({@code exported_} on conflicts unless honorLabels), metric relabeling, the sample limit, samples whose own
 * timestamp a receiver refuses dropped (too_old, too_far_in_future), staleness markers from the {@link SeriesCache},
 * and the report series {@code up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped},
 * {@code scrape_samples_post_metric_relabeling} and {@code scrape_series_added}. Native histograms and exemplars go
 * with their series' sample. Counts what it drops and fails into {@link ScrapeMetrics}. One per target, called by one scrape at a time.
 */
final class ScrapeAppender {

    /**
     * How far ahead of the scrape a sample's own timestamp may be: Prometheus' scrape refuses later ones
     * (its maxAheadTime), and so does Mimir (its creation grace period, 10m by default). A Prometheus
     * receiver would take one, and its head would then refuse every current sample as out of bounds.
     */
    static final long MAX_AHEAD_MS = 10 * 60_000;

    /**
     * What one scrape produced.
     *
     * @param samples     what goes to the route: samples, staleness markers, report series
     * @param failure     why the scrape failed (up=0), or null
     * @param seconds     how long it took
     * @param kept        samples after metric relabeling (scrape_samples_post_metric_relabeling)
     * @param tooOld      samples dropped as older than maxSampleAge
     * @param tooNew      samples dropped as too far ahead of the scrape
     * @param outOfBounds the first of those, for the log; null when none
     * @param metadata    the type, help and unit of each family the body described (all of them: Prometheus keeps
     *                    them whatever metric relabeling drops), the previous scrape's list when nothing changed
     */
    record Outcome(List<Sample> samples, ScrapeFailure failure, double seconds, int kept, int tooOld, int tooNew, Sample outOfBounds,
                   List<MetricMetadata> metadata) {
    }

    private final ScrapeTarget target;
    private final ScrapeMetrics metrics;
    private final SeriesCache cache = new SeriesCache();
    private final FamilyMetadata families = new FamilyMetadata();
    private final Labels.Builder scratch = new Labels.Builder();
    private final Labels upLabels;
    private final Labels durationLabels;
    private final Labels scrapedLabels;
    private final Labels postRelabelLabels;
    private final Labels seriesAddedLabels;

    ScrapeAppender(ScrapeTarget target, ScrapeMetrics metrics) {
        this.target = target;
        this.metrics = metrics;
        this.upLabels = reportLabels("up");
        this.durationLabels = reportLabels("scrape_duration_seconds");
        this.scrapedLabels = reportLabels("scrape_samples_scraped");
        this.postRelabelLabels = reportLabels("scrape_samples_post_metric_relabeling");
        this.seriesAddedLabels = reportLabels("scrape_series_added");
    }

    /**
     * One scrape that started at {@code startMs} (wall clock, the samples' time) and {@code startNs} (for its
     * duration): the fetched body, or {@code fetchFailure} when there is none.
     */
    Outcome append(ScrapeSettings settings, long startMs, long startNs, Fetched fetched, Throwable fetchFailure) {
        List<Sample> out = new ArrayList<>();
        ScrapeFailure failure = null;
        int scraped = 0;
        int kept = 0;
        int added = 0;
        int duplicates = 0;
        int tooOld = 0;
        int tooNew = 0;
        Sample outOfBounds = null; // the first one, for the log
        long iteration = cache.beginScrape();
        ScrapedExemplars exemplars = new ScrapedExemplars(metrics, settings.jobName());
        ScrapeFailure.BucketLimitExceeded bucketLimit = null;
        Throwable thrown = fetchFailure;
        if (thrown == null) {
            try {
                byte[] payload = fetched.body();
                ExpositionParser parser = settings.exposition().parserFor(fetched.contentType());
                parser.reset(payload, 0, payload.length);
                boolean honorTimestamps = settings.honorTimestamps();
                long oldest = settings.maxSampleAgeMs() > 0 ? startMs - settings.maxSampleAgeMs() : Long.MIN_VALUE;
                long span = startMs + MAX_AHEAD_MS - oldest; // unsigned: may exceed Long.MAX_VALUE
                ExpositionParser.Entry entry;
                families.begin();
                while ((entry = parser.next()) != ExpositionParser.Entry.EOF) {
                    if (entry != ExpositionParser.Entry.SERIES) {
                        families.add(entry, parser);
                        continue;
                    }
                    scraped++;
                    byte[] key = parser.seriesBuffer() != null ? parser.seriesBuffer() : payload;
                    SeriesCache.Entry e = cache.get(key, parser.seriesOffset(), parser.seriesLength());
                    if (e == null) {
                        e = cache.put(key, parser.seriesOffset(), parser.seriesLength(), seriesLabels(parser, settings));
                        if (e.labels != null) {
                            added++;
                        }
                    }
                    if (!cache.current(e)) { // the job's settings changed since: labels as they are now
                        cache.relabelled(e, seriesLabels(parser, settings), l -> out.add(new Sample(l, startMs, Sample.STALE_NAN)));
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
                    kept++; // a native histogram is one sample, for sample_limit too, as in Prometheus
                    try {
                        out.add(sample(parser, e, ts, exemplars, settings.exposition()));
                    } catch (ScrapeFailure.BucketLimitExceeded tooMany) {
                        if (bucketLimit == null) {
                            bucketLimit = tooMany; // parsing goes on, so the scrape's counts are whole, as in Prometheus
                        }
                    }
                }
                int limit = settings.sampleLimit();
                if (limit > 0 && kept > limit) {
                    throw new ScrapeFailure.SampleLimitExceeded(kept, limit);
                }
                if (bucketLimit != null) {
                    throw bucketLimit;
                }
                cache.endScrape(l -> out.add(new Sample(l, startMs, Sample.STALE_NAN)));
            } catch (Exception e) {
                thrown = e;
            }
        }
        if (thrown != null) {
            failure = ScrapeFailure.of(thrown, target);
            metrics.failed(settings.jobName(), failure.reason());
            if (thrown instanceof ScrapeFailure.SampleLimitExceeded) {
                metrics.dropped(settings.jobName(), ScrapeMetrics.SAMPLE_LIMIT, kept);
            } else if (thrown instanceof ScrapeFailure.BucketLimitExceeded) {
                metrics.dropped(settings.jobName(), ScrapeMetrics.BUCKET_LIMIT, kept);
            }
            duplicates = 0;
            tooOld = 0;
            tooNew = 0;
            outOfBounds = null;
            out.clear();
            scraped = 0;
            kept = 0;
            added = 0;
            cache.failScrape(l -> out.add(new Sample(l, startMs, Sample.STALE_NAN)));
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        out.add(new Sample(upLabels, startMs, failure == null ? 1 : 0));
        out.add(new Sample(durationLabels, startMs, seconds));
        out.add(new Sample(scrapedLabels, startMs, scraped));
        out.add(new Sample(postRelabelLabels, startMs, kept));
        out.add(new Sample(seriesAddedLabels, startMs, added));
        metrics.dropped(settings.jobName(), ScrapeMetrics.DUPLICATE, duplicates);
        metrics.dropped(settings.jobName(), ScrapeMetrics.TOO_OLD, tooOld);
        metrics.dropped(settings.jobName(), ScrapeMetrics.TOO_FAR_IN_FUTURE, tooNew);
        return new Outcome(out, failure, seconds, kept, tooOld, tooNew, outOfBounds, failure == null ? families.end() : List.of());
    }

    /** The series' sample: a float or a native histogram, with its exemplars (see {@link ScrapedExemplars}) and created timestamp. */
    private static Sample sample(ExpositionParser parser, SeriesCache.Entry e, long ts, ScrapedExemplars exemplars, ExpositionOptions options) {
        NativeHistogram h = withinBucketLimit(withinMaxSchema(parser.histogram(), options.nativeHistogramMaxSchema()),
                options.nativeHistogramBucketLimit(), e);
        List<Exemplar> ex = exemplars.accept(e, parser.exemplars(), h != null, ts); // untimed ones take the sample's time
        long created = options.createdTimestamps() ? parser.createdTimestampMs() : 0;
        if (h == null && ex.isEmpty() && created == 0) {
            return new Sample(e.labels, ts, parser.value());
        }
        return new Sample(e.labels, ts, h == null ? parser.value() : 0, h, ex, created);
    }

    /**
     * A native histogram no finer than maxSchema, as Prometheus' maxSchemaAppender makes it (before the bucket limit):
     * an exponential one above it is brought down to it; custom buckets and float samples as they are.
     */
    private static NativeHistogram withinMaxSchema(NativeHistogram h, int maxSchema) {
        return h != null && !h.customBuckets() && h.schema() > maxSchema ? h.reduceResolution(maxSchema) : h;
    }

    /**
     * A native histogram with at most limit buckets, as Prometheus' bucketLimitAppender makes it: brought to lower
     * exponential schemas one at a time until it fits; one that cannot fit (custom buckets, or at schema -4) fails the
     * scrape. A limit of 0, or a float sample: as it is.
     */
    private static NativeHistogram withinBucketLimit(NativeHistogram h, int limit, SeriesCache.Entry e) {
        if (h == null || limit <= 0) {
            return h;
        }
        while (h.bucketCount() > limit) {
            if (h.customBuckets() || h.schema() <= NativeHistogram.MIN_EXPONENTIAL_SCHEMA) {
                throw new ScrapeFailure.BucketLimitExceeded(e.labels.toString(), h.bucketCount(), limit);
            }
            h = h.reduceResolution(h.schema() - 1);
        }
        return h;
    }

    /** The job's settings changed (a reload): each series' labels are computed again when next scraped. */
    void relabelAgain() {
        cache.relabelAgain();
    }

    /**
     * The target went away: staleness markers for every series of its last scrape and, when it reported at all,
     * for its report series, as Prometheus writes them for a target that is gone.
     */
    List<Sample> endOfLife(long now, boolean reported) {
        List<Sample> stale = new ArrayList<>();
        cache.endOfLife(l -> stale.add(new Sample(l, now, Sample.STALE_NAN)));
        if (reported) {
            for (Labels l : List.of(upLabels, durationLabels, scrapedLabels, postRelabelLabels, seriesAddedLabels)) {
                stale.add(new Sample(l, now, Sample.STALE_NAN));
            }
        }
        return stale;
    }

    /** The sample's labels after target labels and metric relabeling, or null when relabeling drops it. */
    private Labels seriesLabels(ExpositionParser parser, ScrapeSettings settings) {
        scratch.reset();
        parser.labels(scratch);
        Labels targetLabels = target.labels();
        if (settings.honorLabels()) {
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
        if (settings.metricRelabel() != null) {
            labels = settings.metricRelabel().apply(labels);
            if (labels == null || labels.isEmpty()) {
                return null;
            }
        }
        return labels;
    }

    private Labels reportLabels(String name) {
        return target.labels().toBuilder().set("__name__", name).build();
    }
}
