package io.caravan.model;

/**
 * An exemplar: one observation's labels (a trace id, most often), its value and, when the exposition gave one,
 * its time. Carried with the sample it was exposed with, as remote_write's {@code prometheus.Exemplar}.
 *
 * @param timestampMs milliseconds since the epoch, or {@link #NO_TIMESTAMP}: Prometheus then stamps it with the
 *                    scrape's time, and so does the scrape before it leaves
 */
public record Exemplar(Labels labels, double value, long timestampMs) {

    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public boolean hasTimestamp() {
        return timestampMs != NO_TIMESTAMP;
    }

    /** This exemplar at the given time when it has none of its own. */
    public Exemplar stampedAt(long ms) {
        return hasTimestamp() ? this : new Exemplar(labels, value, ms);
    }
}
