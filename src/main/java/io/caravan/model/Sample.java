package io.caravan.model;

/**
 * One value of one series at one instant, with the series' full label set (the metric name is the
 * {@code __name__} label, as on the remote_write wire).
 */
public record Sample(Labels labels, long timestampMs, double value) {

    /** The NaN bit pattern Prometheus uses as a staleness marker: "this series is gone". */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    public static boolean isStaleMarker(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    public String metricName() {
        return labels.getOrEmpty("__name__");
    }
}
