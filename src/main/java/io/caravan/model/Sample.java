package io.caravan.model;

import java.util.List;

/**
 * One value of one series at one instant, with the series' full label set (the metric name is the
 * {@code __name__} label, as on the remote_write wire): a float, or a native histogram, with the exemplars
 * exposed with it and the series' created timestamp when the exposition gave one.
 *
 * @param value              the float value; unused (0) for a histogram
 * @param histogram          the native histogram, or null for a float sample
 * @param exemplars          the exemplars exposed with this sample (none most often)
 * @param createdTimestampMs when the series (a counter, summary or histogram) started counting, or 0 for unknown
 */
public record Sample(Labels labels, long timestampMs, double value, NativeHistogram histogram, List<Exemplar> exemplars,
                     long createdTimestampMs) {

    /** The NaN bit pattern Prometheus uses as a staleness marker: "this series is gone". */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    public Sample {
        exemplars = exemplars == null ? List.of() : exemplars;
    }

    /** A float sample. */
    public Sample(Labels labels, long timestampMs, double value) {
        this(labels, timestampMs, value, null, List.of(), 0);
    }

    /** A native histogram sample. */
    public static Sample ofHistogram(Labels labels, long timestampMs, NativeHistogram histogram) {
        return new Sample(labels, timestampMs, 0, histogram, List.of(), 0);
    }

    public static boolean isStaleMarker(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    public boolean isHistogram() {
        return histogram != null;
    }

    /**
     * A staleness marker: always a float, for a series of histograms too (Prometheus' agent writes it so, and a
     * receiver's head turns it into a histogram marker itself).
     */
    public boolean isStale() {
        return histogram == null && isStaleMarker(value);
    }

    /** This sample under other labels: the value, histogram, exemplars and created timestamp go along. */
    public Sample withLabels(Labels other) {
        return other == labels ? this : new Sample(other, timestampMs, value, histogram, exemplars, createdTimestampMs);
    }

    public String metricName() {
        return labels.getOrEmpty("__name__");
    }
}
