package io.caravan.loki;

import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where entries go when a loki sink has no url (the embedded default): the latest entries, bounded in
 * count, with the external labels applied, readable by the UI at {@code /debug/sinks/NAME}.
 */
public final class LokiDebugSink {

    private static final Map<String, LokiDebugSink> SINKS = new ConcurrentHashMap<>();

    private final String name;
    private final PushEncoder labels;
    private final int maxEntries;
    private final Deque<LogEntry> latest = new ArrayDeque<>();
    private final AtomicLong received = new AtomicLong();

    private LokiDebugSink(String name, Labels externalLabels, int maxEntries) {
        this.name = name;
        this.labels = new PushEncoder(externalLabels);
        this.maxEntries = maxEntries;
    }

    static LokiDebugSink register(String name, Labels externalLabels, int maxEntries) {
        return SINKS.computeIfAbsent(name, n -> new LokiDebugSink(n, externalLabels, maxEntries));
    }

    public static LokiDebugSink get(String name) {
        return SINKS.get(name);
    }

    public static Collection<LokiDebugSink> all() {
        return SINKS.values();
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

    public String name() {
        return name;
    }

    public long received() {
        return received.get();
    }

    /** The latest entries, oldest first, with the labels they would be sent under. */
    public synchronized List<LogEntry> snapshot() {
        return new ArrayList<>(latest);
    }
}
