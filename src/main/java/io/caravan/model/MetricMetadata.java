package io.caravan.model;

/**
 * What an exposition says about a metric family: its type, help and unit, as remote_write's
 * {@code prometheus.MetricMetadata} carries it (the family's name as exposed in its TYPE, HELP or UNIT line).
 */
public record MetricMetadata(String family, Type type, String help, String unit) {

    /** The exchange header a scrape's metadata travels in to the sinks: a {@code List<MetricMetadata>}. */
    public static final String HEADER = "CaravanMetricMetadata";

    /** remote_write's MetricMetadata.MetricType: the order is the wire's (UNKNOWN is 0). */
    public enum Type { UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET }

    public MetricMetadata {
        type = type == null ? Type.UNKNOWN : type;
        help = help == null ? "" : help;
        unit = unit == null ? "" : unit;
    }
}
