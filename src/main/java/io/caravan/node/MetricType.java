package io.caravan.node;

/** The metric types of the Prometheus text format 0.0.4 that node_exporter's collectors use. */
public enum MetricType {
    COUNTER("counter"), GAUGE("gauge"), UNTYPED("untyped");

    final String text;

    MetricType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
