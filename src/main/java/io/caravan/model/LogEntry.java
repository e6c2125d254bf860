package io.caravan.model;

/**
 * One log line on its way to Loki: the stream's labels, the time in nanoseconds since the epoch (Loki's
 * precision), the line, and Loki's structured metadata (non-indexed labels; empty for most entries).
 */
public record LogEntry(Labels labels, long timestampNanos, String line, Labels metadata) {

    /**
     * The reserved label (Alloy's and Promtail's) that carries an entry's Loki tenant from loki-process's tenant
     * stage to the loki sink, which sends the entry as that tenant and leaves the label out of the stream.
     */
    public static final String TENANT_LABEL = "__tenant_id__";

    public LogEntry(Labels labels, long timestampNanos, String line) {
        this(labels, timestampNanos, line, Labels.EMPTY);
    }

    public LogEntry withLabels(Labels newLabels) {
        return new LogEntry(newLabels, timestampNanos, line, metadata);
    }

    public LogEntry withLine(String newLine) {
        return new LogEntry(labels, timestampNanos, newLine, metadata);
    }
}
