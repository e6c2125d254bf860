package io.caravan.logs.events;

import io.caravan.model.GoStrings;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes Event as Alloy's {@code loki.source.kubernetes_events} writes it: labels {@code namespace} (the involved
 * object's), {@code job} and {@code instance}; the line in logfmt ({@code name=... kind=... reason=... msg="..."}, each
 * pair followed by a space, the message quoted as Go's {@code %q}) or JSON (the same fields, keys sorted, as Go's
 * encoding/json writes a map); the entry's time the event's lastTimestamp, else its eventTime. The entry is a function
 * of the event alone, so an event sent twice is the same entry twice, which Loki stores once.
 */
final class EventLines {

    enum Format { LOGFMT, JSON }

    private final Format format;
    private final Labels common;

    EventLines(Format format, String job, String instance) {
        this.format = format;
        this.common = Labels.of("job", job, "instance", instance);
    }

    /** The entry, or null for an event that names no involved object (Alloy refuses those too). */
    LogEntry entry(Event event) {
        ObjectReference obj = event.getInvolvedObject() == null ? new ObjectReference() : event.getInvolvedObject();
        if (obj.getName() == null || obj.getName().isEmpty()) {
            return null;
        }
        Labels labels = common.toBuilder().set("namespace", obj.getNamespace()).build();
        return new LogEntry(labels, timestampNanos(event), line(event, obj));
    }

    String line(Event event, ObjectReference obj) {
        Fields f = format == Format.JSON ? new JsonFields() : new LogfmtFields();
        f.add("name", obj.getName());
        f.addIfSet("kind", obj.getKind());
        f.addIfSet("action", event.getAction());
        f.addIfSet("objectAPIversion", obj.getApiVersion());
        f.addIfSet("objectRV", obj.getResourceVersion());
        f.addIfSet("eventRV", event.getMetadata() == null ? null : event.getMetadata().getResourceVersion());
        f.addIfSet("reportinginstance", event.getReportingInstance());
        f.addIfSet("reportingcontroller", event.getReportingComponent());
        if (event.getSource() != null) {
            f.addIfSet("sourcecomponent", event.getSource().getComponent());
            f.addIfSet("sourcehost", event.getSource().getHost());
        }
        f.addIfSet("reason", event.getReason());
        f.addIfSet("type", event.getType());
        if (event.getCount() != null && event.getCount() != 0) {
            f.addCount(event.getCount());
        }
        f.addMessage(event.getMessage() == null ? "" : event.getMessage());
        return f.text();
    }

    /**
     * lastTimestamp, else eventTime (as Alloy). An event with neither (none the API server makes) falls back on its
     * firstTimestamp, then its creation: never the time of reading, which would make a re-sent event a new entry.
     */
    static long timestampNanos(Event event) {
        Instant t = parse(event.getLastTimestamp());
        if (t == null) {
            MicroTime eventTime = event.getEventTime();
            t = eventTime == null ? null : parse(eventTime.getTime());
        }
        if (t == null) {
            t = parse(event.getFirstTimestamp());
        }
        if (t == null && event.getMetadata() != null) {
            t = parse(event.getMetadata().getCreationTimestamp());
        }
        if (t == null) {
            return 0;
        }
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Instant parse(String time) {
        if (time == null || time.isEmpty()) {
            return null;
        }
        return OffsetDateTime.parse(time).toInstant();
    }

    /** The fields in Alloy's order: logfmt writes them as they come, JSON sorts them. */
    private abstract static class Fields {
        abstract void add(String key, String value);

        abstract void addCount(int count);

        abstract void addMessage(String message);

        abstract String text();

        void addIfSet(String key, String value) {
            if (value != null && !value.isEmpty()) {
                add(key, value);
            }
        }
    }

    private static final class LogfmtFields extends Fields {
        private final StringBuilder sb = new StringBuilder(256);

        @Override
        void add(String key, String value) {
            sb.append(key).append('=').append(value).append(' '); // Alloy's %s: the value as is, unquoted
        }

        @Override
        void addCount(int count) {
            sb.append("count=").append(count).append(' ');
        }

        @Override
        void addMessage(String message) {
            sb.append("msg=").append(GoStrings.quote(message)).append(' ');
        }

        @Override
        String text() {
            return sb.toString();
        }
    }

    private static final class JsonFields extends Fields {
        private final Map<String, Object> fields = new TreeMap<>(); // Go's encoding/json sorts a map's keys

        @Override
        void add(String key, String value) {
            fields.put(key, value);
        }

        @Override
        void addCount(int count) {
            fields.put("count", count);
        }

        @Override
        void addMessage(String message) {
            fields.put("msg", message);
        }

        @Override
        String text() {
            StringBuilder sb = new StringBuilder(256).append('{');
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                GoStrings.appendJsonString(sb, e.getKey());
                sb.append(':');
                if (e.getValue() instanceof Integer n) {
                    sb.append(n);
                } else {
                    GoStrings.appendJsonString(sb, (String) e.getValue());
                }
            }
            return sb.append('}').toString();
        }
    }
}
