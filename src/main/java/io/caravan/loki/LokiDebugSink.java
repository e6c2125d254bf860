package io.caravan.loki;

import io.caravan.component.DebugView;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where entries go when a loki sink has no url (the embedded default): the latest entries, bounded in
 * count, with the external labels applied, readable at {@code /debug/sinks/NAME}. Its component lists it in
 * {@link LokiComponent#debugViews()}.
 */
public final class LokiDebugSink implements DebugView {

    private final String name;
    private final PushEncoder labels;
    private final int maxEntries;
    private final Deque<LogEntry> latest = new ArrayDeque<>();
    private final AtomicLong received = new AtomicLong();

    LokiDebugSink(String name, Labels externalLabels, int maxEntries) {
        this.name = name;
        this.labels = new PushEncoder(externalLabels);
        this.maxEntries = maxEntries;
    }

    synchronized void accept(List<LogEntry> entries) {
        received.addAndGet(entries.size());
        for (LogEntry e : entries) {
            latest.addLast(e.withLabels(labels.streamLabels(e.labels())));
            if (latest.size() > maxEntries) {
                latest.removeFirst();
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long received() {
        return received.get();
    }

    /** The latest entries, oldest first, with the labels they would be sent under. */
    synchronized List<LogEntry> snapshot() {
        return new ArrayList<>(latest);
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "latest_entries=%d\treceived=%d", snapshot().size(), received());
    }

    @Override
    public String contentType() {
        return "text/plain;version=0.0.4;charset=utf-8";
    }

    /** Time, stream labels, line per entry, after a comment line with the count. */
    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("# sink ").append(name).append(": latest entries; ").append(received()).append(" received\n");
        for (LogEntry e : snapshot()) {
            sb.append(Instant.ofEpochSecond(0, e.timestampNanos())).append(' ').append(e.labels()).append(' ')
                    .append(e.line()).append('\n');
        }
        return sb.toString();
    }
}
