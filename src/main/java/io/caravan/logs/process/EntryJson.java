package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.caravan.model.Labels;
import io.caravan.model.LogEntry;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code process} command's JSON form of a log entry, one object per line. In:
 * {@code {"line": "...", "labels": {...}, "timestamp": "<RFC 3339>"}}, labels and timestamp optional. Out:
 * {@code {"line", "labels", "structured_metadata", "timestamp", "tenant"}}, label sets as objects in label order,
 * the tenant the one a tenant stage set (the {@value LogEntry#TENANT_LABEL} label, left out of labels as the Loki
 * sink leaves it out of the stream; null when none), and the time as Loki and Alloy print it: RFC 3339 in UTC to the nanosecond, trailing zeros trimmed (Go's
 * RFC3339Nano).
 */
final class EntryJson {

    // a field given twice is a mistake in the input, not a value to pick silently
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final GoTime.Layout RFC3339_INPUT = GoTime.compile(GoTime.RFC3339_NANO);

    private EntryJson() {
    }

    /**
     * One input object as an entry. {@code readTime} stamps it when it gives no timestamp. Anything that is not
     * such an object is an IllegalArgumentException saying what is wrong.
     */
    static LogEntry read(String json, LongSupplier readTime) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String line = null;
            Labels labels = Labels.EMPTY;
            Long timestamp = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "line" -> line = string(p, value, "\"line\"");
                    case "labels" -> labels = value == JsonToken.VALUE_NULL ? Labels.EMPTY : labels(p, value);
                    case "timestamp" -> timestamp = value == JsonToken.VALUE_NULL ? null : timestamp(string(p, value, "\"timestamp\""));
                    default -> throw new IllegalArgumentException("unknown field \"" + field + "\" (an entry has line, labels, timestamp)");
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("extra content after the JSON object");
            }
            if (line == null) {
                throw new IllegalArgumentException("no \"line\" (a string)");
            }
            return new LogEntry(labels, timestamp != null ? timestamp : readTime.getAsLong(), line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    private static String string(JsonParser p, JsonToken value, String what) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(what + " is not a string");
        }
        return p.getText();
    }

    private static Labels labels(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("\"labels\" is not a JSON object");
        }
        Labels.Builder b = Labels.builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            b.set(name, string(p, p.nextToken(), "the value of label \"" + name + "\""));
        }
        return b.build();
    }

    /** RFC 3339 as Go's time.Parse reads it with RFC3339Nano: an offset required, a fraction optional. */
    private static long timestamp(String text) {
        try {
            return GoTime.parse(RFC3339_INPUT, text, null);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("\"timestamp\" \"" + text + "\" is not an RFC 3339 time such as 2024-01-01T00:00:00.123456789Z ("
                    + e.getMessage() + ")", e);
        }
    }

    /** One entry as one line of JSON, no line break. */
    static String write(LogEntry e) {
        StringWriter w = new StringWriter(64 + e.line().length());
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("line", e.line());
            g.writeFieldName("labels");
            labels(g, e.labels().toBuilder().del(LogEntry.TENANT_LABEL).build());
            g.writeFieldName("structured_metadata");
            labels(g, e.metadata() != null ? e.metadata() : Labels.EMPTY);
            g.writeStringField("timestamp", timestamp(e.timestampNanos()));
            String tenant = e.labels().get(LogEntry.TENANT_LABEL);
            if (tenant == null) {
                g.writeNullField("tenant");
            } else {
                g.writeStringField("tenant", tenant);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalStateException("writing to a string cannot fail", ex);
        }
        return w.toString();
    }

    private static void labels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            g.writeStringField(labels.name(i), labels.value(i));
        }
        g.writeEndObject();
    }

    static String timestamp(long nanos) {
        return RFC3339_NANO.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }
}
