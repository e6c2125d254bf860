package io.caravan.scrape.parse;

import io.caravan.model.Exemplar;
import io.caravan.model.Labels;
import io.caravan.model.NativeHistogram;

import java.util.List;

/**
 * A pull parser over one scrape body in a Prometheus exposition format (text, OpenMetrics, protobuf). One instance
 * is reused across scrapes of a target: {@link #reset} points it at a new body without allocating.
 *
 * <p>Accessors are valid only for the entry {@link #next} last returned; calling one after the wrong kind
 * of entry throws {@link IllegalStateException}.
 */
public interface ExpositionParser {

    enum Entry { SERIES, TYPE, HELP, UNIT, COMMENT, EOF }

    enum MetricType { COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN }

    String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

    /**
     * Picks the parser from the response Content-Type: {@code application/openmetrics-text} (any parameters,
     * any case) gives OpenMetrics 1.0; anything else, including a missing header, gives text format 0.0.4.
     */
    static ExpositionParser forContentType(String contentType) {
        return isOpenMetrics(contentType) ? new OpenMetricsParser() : new PrometheusTextParser();
    }

    /** True when the media type (parameters ignored) is OpenMetrics text. */
    static boolean isOpenMetrics(String contentType) {
        if (contentType == null) {
            return false;
        }
        int start = 0;
        while (start < contentType.length() && Character.isWhitespace(contentType.charAt(start))) {
            start++;
        }
        int n = OPENMETRICS_MEDIA_TYPE.length();
        if (!contentType.regionMatches(true, start, OPENMETRICS_MEDIA_TYPE, 0, n)) {
            return false;
        }
        int after = start + n;
        return after == contentType.length()
                || contentType.charAt(after) == ';'
                || Character.isWhitespace(contentType.charAt(after));
    }

    /** Points the parser at {@code length} bytes of {@code buf} from {@code offset}; the bytes must not change while parsing. */
    void reset(byte[] buf, int offset, int length);

    /** Advances to the next entry; returns {@link Entry#EOF} at the end, then keeps returning it. */
    Entry next() throws ExpositionParseException;

    // valid after SERIES

    /**
     * Where the series' cache key lies: bytes that name the series, the same in every scrape, different for every
     * series of a body. The text formats give the body itself (the raw {@code name{labels}}); a binary format its
     * own buffer.
     */
    default byte[] seriesBuffer() {
        return null;
    }

    /** Offset in {@link #seriesBuffer()} (or the body, when that is null) of the series' cache key. */
    int seriesOffset();

    int seriesLength();

    /** Adds {@code __name__} and every label, unescaped and UTF-8 decoded, to {@code into} (parsed only now). */
    void labels(Labels.Builder into);

    /** The float value; meaningless for a native histogram. */
    double value();

    /** The native histogram's value, or null for a float series (the text formats have none). */
    default NativeHistogram histogram() {
        return null;
    }

    /** The exemplars exposed with the series, without timestamps where the exposition gave none; most often none. */
    default List<Exemplar> exemplars() {
        return List.of();
    }

    /** When the series started counting (OpenMetrics {@code _created} read as such, protobuf's start timestamp), or 0. */
    default long createdTimestampMs() {
        return 0;
    }

    boolean hasTimestamp();

    /** Milliseconds since the epoch; only meaningful when {@link #hasTimestamp()}. */
    long timestampMs();

    // valid after TYPE, HELP, UNIT

    String metricFamily();

    MetricType type();

    String help();

    String unit();

    /** 1-based line of the current entry. */
    int lineNumber();
}
