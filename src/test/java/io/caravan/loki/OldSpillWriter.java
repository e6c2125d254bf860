package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.wal.SegmentLog;
import io.caravan.wire.ProtoWriter;

import java.io.IOException;
import java.util.List;

/** Writes spill records as Caravan did before they were wire-ready ({@link OldSpillRecord}), to test an upgrade. */
final class OldSpillWriter {

    private OldSpillWriter() {
    }

    static void append(SegmentLog<?> log, List<LogEntry> entries) throws IOException {
        log.append(entries.size(), out -> encode(entries, out));
    }

    private static void encode(List<LogEntry> entries, ProtoWriter out) {
        Labels prev = null;
        for (LogEntry e : entries) {
            if (e.labels().equals(prev)) {
                out.varint(0);
            } else {
                out.varint(1);
                labels(e.labels(), out);
                prev = e.labels();
            }
            out.fixed64(e.timestampNanos());
            out.string(e.line(), ProtoWriter.utf8Length(e.line()));
            labels(e.metadata(), out);
        }
    }

    private static void labels(Labels l, ProtoWriter out) {
        out.varint(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.string(l.name(i), ProtoWriter.utf8Length(l.name(i)));
            out.string(l.value(i), ProtoWriter.utf8Length(l.value(i)));
        }
    }
}
