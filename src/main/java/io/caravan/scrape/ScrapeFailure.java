package io.caravan.scrape;

import io.caravan.model.Durations;
import io.caravan.scrape.parse.ExpositionParseException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Why a scrape failed, decided in one place: the {@code reason} tag of {@code caravan_scrape_failures_total} and
 * the words the operator reads in the UI and the log. Fetchers and the appender only throw; this reads what they
 * threw.
 *
 * @param reason  one of the {@link ScrapeMetrics} failure reasons
 * @param message what happened and what to do about it
 */
record ScrapeFailure(String reason, String message) {

    static ScrapeFailure of(Throwable thrown, ScrapeTarget target) {
        Exception e = unwrap(thrown);
        return new ScrapeFailure(reason(e), describe(e, target));
    }

    /** The target answered a web page (a wrong path, a login redirect): failed as such, not as line 1 of a bad exposition. */
    static final class NotMetrics extends IOException {
        NotMetrics(String contentType) {
            super("the target answered '" + contentType + "', a web page, not Prometheus metrics; check the address and "
                    + "metricsPath (a wrong path or a login page?)");
        }
    }

    static final class BadStatus extends IOException {
        BadStatus(int status) {
            super("server returned HTTP status " + status + " (expected 200)"
                    + (status == 401 || status == 403 ? "; check bearerTokenFile and the target's RBAC" : "")
                    + (status == 404 ? "; check metricsPath" : ""));
        }
    }

    static final class SampleLimitExceeded extends IllegalStateException {
        SampleLimitExceeded(int kept, int limit) {
            super("sample_limit exceeded: " + kept + " samples after relabeling, limit " + limit
                    + "; the whole scrape is dropped: raise sampleLimit or drop series with metricRelabel");
        }
    }

    static final class BucketLimitExceeded extends IllegalStateException {
        BucketLimitExceeded(String series, int buckets, int limit) {
            super("native_histogram_bucket_limit exceeded: " + series + " has " + buckets + " buckets at the lowest schema it can take, limit "
                    + limit + "; the whole scrape is dropped: raise nativeHistogramBucketLimit or have the target expose fewer buckets");
        }
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

    private static String reason(Exception e) {
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
        if (e instanceof BucketLimitExceeded) {
            return ScrapeMetrics.BUCKET_LIMIT;
        }
        if (e instanceof NotMetrics) {
            return ScrapeMetrics.NOT_METRICS;
        }
        if (e instanceof BadStatus) {
            return ScrapeMetrics.HTTP_STATUS;
        }
        return ScrapeMetrics.CONNECTION;
    }

    private static String describe(Exception e, ScrapeTarget target) {
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
            if (t instanceof ConnectException) {
                // the JDK client's ConnectException often has no message at all: say what it means
                return "cannot connect to " + target.url().getHost() + ":" + target.url().getPort()
                        + " (connection refused or unreachable); check that the target runs and its address and port";
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
