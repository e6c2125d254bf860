package io.caravan.scrape;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The scrape component's own counters, tagged by job and reason (never by target: a job may have thousands).
 * {@code caravan_scrape_failures_total}: scrapes that failed (up=0); {@code caravan_scrape_samples_dropped_total}:
 * samples lost from scrapes that were read, e.g. a series exposed twice, a whole body over sample_limit, or a
 * sample whose own timestamp a receiver would refuse (Prometheus' prometheus_target_scrapes_sample_out_of_bounds_total).
 */
final class ScrapeMetrics {

    /** Failure reasons (the {@code reason} tag). */
    static final String TIMEOUT = "timeout";
    static final String BODY_SIZE_LIMIT = "body_size_limit";
    static final String SAMPLE_LIMIT = "sample_limit";
    static final String BUCKET_LIMIT = "bucket_limit";
    static final String PARSE_ERROR = "parse_error";
    static final String NOT_METRICS = "not_metrics";
    static final String HTTP_STATUS = "http_status";
    static final String CONNECTION = "connection";
    /** A drop reason: the same series twice in one body; Prometheus keeps the first. */
    static final String DUPLICATE = "duplicate";
    /** Drop reasons: the sample's own timestamp is older than maxSampleAge, or too far ahead of the scrape. */
    static final String TOO_OLD = "too_old";
    static final String TOO_FAR_IN_FUTURE = "too_far_in_future";

    private final MeterRegistry registry;

    /** Counts into {@code registry}: the component's {@code meters()}, so /actuator/prometheus shows them. */
    ScrapeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void failed(String job, String reason) {
        Counter.builder("caravan_scrape_failures").description("Scrapes that failed (up=0), by reason")
                .tag("job", job).tag("reason", reason).register(registry).increment();
    }

    /** Exemplars not passed on: invalid (a label name twice, labels over 128 characters) or, for a histogram, without a time. */
    void exemplarsDropped(String job, String reason, long exemplars) {
        if (exemplars > 0) {
            Counter.builder("caravan_scrape_exemplars_dropped").description("Scraped exemplars not passed on, by reason")
                    .tag("job", job).tag("reason", reason).register(registry).increment(exemplars);
        }
    }

    void dropped(String job, String reason, long samples) {
        if (samples > 0) {
            Counter.builder("caravan_scrape_samples_dropped").description("Scraped samples not passed on, by reason")
                    .tag("job", job).tag("reason", reason).register(registry).increment(samples);
        }
    }
}
