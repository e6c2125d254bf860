package io.caravan.loki;

import io.caravan.model.LogEntry;
import io.caravan.wire.ProtoWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Loki refuses lines over its max_line_size (256 KB by default) and, with them, would fail the request
 * they came in: so oversized lines are handled before they are queued, truncated (with a marker that
 * says how long the line was) or dropped, and counted either way. Sizes are UTF-8 bytes, as Loki counts.
 */
final class LineSizePolicy {

    enum Action { TRUNCATE, DROP }

    private final int maxBytes;
    private final Action action;
    private final LokiMetrics metrics;

    LineSizePolicy(int maxBytes, Action action, LokiMetrics metrics) {
        this.maxBytes = maxBytes;
        this.action = action;
        this.metrics = metrics;
    }

    static Action parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase()) {
            case "truncate", "" -> Action.TRUNCATE;
            case "drop" -> Action.DROP;
            default -> throw new IllegalArgumentException("maxLineSizePolicy must be truncate or drop, got '" + text + "'");
        };
    }

    /** The entries as they may be sent; the same list when nothing is over the limit. */
    List<LogEntry> apply(List<LogEntry> entries) {
        if (maxBytes <= 0) {
            return entries;
        }
        List<LogEntry> out = null;
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            // a line of n chars has at most 3n UTF-8 bytes: most lines need no counting
            boolean over = e.line().length() > maxBytes / 3 && ProtoWriter.utf8Length(e.line()) > maxBytes;
            if (over && out == null) {
                out = new ArrayList<>(entries.subList(0, i));
            }
            if (!over) {
                if (out != null) {
                    out.add(e);
                }
            } else if (action == Action.DROP) {
                metrics.dropped("line_too_long", 1);
            } else {
                out.add(e.withLine(truncate(e.line(), maxBytes)));
                metrics.truncated(1);
            }
        }
        return out == null ? entries : out;
    }

    /** The longest prefix (whole characters) that leaves room for the marker, then the marker. */
    static String truncate(String line, int maxBytes) {
        int original = ProtoWriter.utf8Length(line);
        String marker = "…[truncated by caravan: " + original + " bytes]";
        int budget = Math.max(0, maxBytes - ProtoWriter.utf8Length(marker));
        int bytes = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            int w;
            int chars = 1;
            if (c < 0x80) {
                w = 1;
            } else if (c < 0x800) {
                w = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                w = 4;
                chars = 2;
            } else {
                w = Character.isSurrogate(c) ? 1 : 3;
            }
            if (bytes + w > budget) {
                break;
            }
            bytes += w;
            i += chars;
        }
        return line.substring(0, i) + marker;
    }
}
