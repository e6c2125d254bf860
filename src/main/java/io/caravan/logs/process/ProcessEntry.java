package io.caravan.logs.process;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.util.Map;

/**
 * One entry on its way through the stages: mutable labels, time and line, plus Alloy's "extracted" map,
 * a per-entry working map that stages share and that is never sent to Loki. Extracted values are
 * String, Double (JSON numbers, as Go's float64), Boolean, or {@link Extracted#NULL}.
 */
final class ProcessEntry {

    final Labels.Builder labels;
    long timestampNanos;
    String line;
    Labels metadata;
    final Map<String, Object> extracted;

    ProcessEntry(LogEntry e) {
        this.labels = e.labels().toBuilder();
        this.timestampNanos = e.timestampNanos();
        this.line = e.line();
        this.metadata = e.metadata();
        this.extracted = new ExtractedMap(e.labels()); // seeded with the labels, as Alloy's pipeline starts
    }

    /** Alloy seeds extracted with the labels at the start of every nested pipeline too: the labels as they are now. */
    void seedExtractedFromLabels() {
        for (int i = 0; i < labels.size(); i++) {
            extracted.put(labels.name(i), labels.value(i));
        }
    }

    /** What a stage with a {@code source} argument reads: the line, or that extracted value as a string (else null). */
    String text(String source) {
        return source == null ? line : Extracted.asString(extracted.get(source));
    }

    LogEntry toLogEntry() {
        return new LogEntry(labels.build(), timestampNanos, line, metadata);
    }
}
