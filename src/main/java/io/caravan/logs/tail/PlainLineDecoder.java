package io.caravan.logs.tail;

import io.caravan.logs.LineDecoder;
import io.caravan.model.LogEntry;

import io.caravan.model.Labels;

import java.util.List;

/** A plain file: every line is an entry with the file's labels and its read time; later stages may parse it. */
final class PlainLineDecoder implements LineDecoder {

    private final Labels labels;

    PlainLineDecoder(Labels labels) {
        this.labels = labels;
    }

    @Override
    public void decode(String line, long lineStart, long readNanos, List<LogEntry> out) {
        out.add(new LogEntry(labels, readNanos, line));
    }
}
