package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.caravan.wire.ProtoWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Loki's per-tenant limits on an entry's structured metadata, checked before queueing as Loki's distributor checks
 * them: its size (the UTF-8 bytes of every name and value, over max_structured_metadata_size, 64KB by default) and
 * then its count (over max_structured_metadata_entries_count, 128). Loki discards such an entry and answers the
 * whole push with a 400, which would drop the batch here: so the entry is dropped before it is queued, counted
 * with Loki's reason (structured_metadata_too_large, structured_metadata_too_many). 0 turns a limit off.
 */
final class StructuredMetadataLimits {

    private final long maxBytes;
    private final int maxEntries;
    private final LokiMetrics metrics;

    StructuredMetadataLimits(long maxBytes, int maxEntries, LokiMetrics metrics) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.metrics = metrics;
    }

    /** The entries Loki would take; the same list when none is over a limit. */
    List<LogEntry> apply(List<LogEntry> entries) {
        List<LogEntry> out = null;
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            String refusal = e.metadata().isEmpty() ? null : refusal(e.metadata());
            if (refusal != null) {
                if (out == null) {
                    out = new ArrayList<>(entries.subList(0, i));
                }
                metrics.dropped(refusal, 1);
            } else if (out != null) {
                out.add(e);
            }
        }
        return out == null ? entries : out;
    }

    /** Loki's reason for refusing this metadata, or null. */
    private String refusal(Labels metadata) {
        if (maxBytes > 0) {
            long bytes = 0;
            for (int i = 0; i < metadata.size(); i++) {
                bytes += ProtoWriter.utf8Length(metadata.name(i)) + ProtoWriter.utf8Length(metadata.value(i));
            }
            if (bytes > maxBytes) {
                return "structured_metadata_too_large";
            }
        }
        if (maxEntries > 0 && metadata.size() > maxEntries) {
            return "structured_metadata_too_many";
        }
        return null;
    }
}
