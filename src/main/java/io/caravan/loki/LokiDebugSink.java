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
 * count, as they would be sent: the external labels applied, the tenant label taken out and shown as the tenant
 * the entry would go to, with its structured metadata; readable at {@code /debug/sinks/NAME}. Its component lists it in
 * {@link LokiComponent#debugViews()}.
 */
public final class LokiDebugSink implements DebugView {

    private final String name;
    private final PushEncoder labels;
    private final String sinksTenant;
    private final int maxEntries;
    private final Deque<Kept> latest = new ArrayDeque<>();
    private final AtomicLong received = new AtomicLong();

    /** An entry as it would be sent, and the tenant it would go as (null: none). */
    record Kept(LogEntry entry, String tenant) {
    }

    /** @param sinksTenant the tenant of entries without their own (null or blank: none) */
    LokiDebugSink(String name, Labels externalLabels, String sinksTenant, int maxEntries) {
        this.name = name;
        this.labels = new PushEncoder(externalLabels);
        this.sinksTenant = sinksTenant;
        this.maxEntries = maxEntries;
    }

    synchronized void accept(List<LogEntry> entries) {
        received.addAndGet(entries.size());
        for (LogEntry e : entries) {
            LogEntry sent = Tenants.withoutLabel(e);
            latest.addLast(new Kept(sent.withLabels(labels.streamLabels(sent.labels())),
                    Tenants.effective(e.labels().get(LogEntry.TENANT_LABEL), sinksTenant)));
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

    /** The latest entries, oldest first, with the labels they would be sent under and their tenant. */
    synchronized List<Kept> snapshot() {
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

    /**
     * Per entry: time, stream labels, then {@code tenant=T} when it goes as a tenant and {@code metadata={...}} when it
     * has structured metadata, then the line; after a comment line with the count.
     */
    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("# sink ").append(name).append(": latest entries; ").append(received()).append(" received\n");
        for (Kept k : snapshot()) {
            LogEntry e = k.entry();
            sb.append(Instant.ofEpochSecond(0, e.timestampNanos())).append(' ').append(e.labels()).append(' ');
            if (k.tenant() != null) {
                sb.append("tenant=").append(k.tenant()).append(' ');
            }
            if (!e.metadata().isEmpty()) {
                sb.append("metadata=").append(e.metadata()).append(' ');
            }
            sb.append(e.line()).append('\n');
        }
        return sb.toString();
    }
}
