package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * stage.docker: a line of Docker's json-file driver, {@code {"log":"...","stream":"...","time":"..."}}, read as
 * Alloy's stage reads it (Go's json.Unmarshal into a struct): field names match in any case, a later field wins,
 * other fields are ignored, and a line that is not one JSON object, or has one of the three fields as a non-string,
 * or an empty "log", passes unchanged. Otherwise the line becomes "log" as it is (its trailing newline kept), the
 * {@code stream} label is set (an empty stream removes it), the time is read as RFC3339Nano (kept when it does not
 * read), and extracted gets output, stream and timestamp.
 * <p>
 * The pod-logs reader's DockerJsonParser does not fit here: it trims the newline, rewrites the stream and refuses a
 * line whose time does not read, as the kubelet's files need.
 */
final class DockerStage extends Stage.PerEntry {

    private static final JsonFactory JSON = new JsonFactory();
    private static final GoTime.Layout RFC3339_NANO = GoTime.compile(GoTime.RFC3339_NANO);

    /** Alloy's DockerConfig has no arguments. */
    record Args() implements StageArgs {
        @Override
        public void validate() {
        }
    }

    /** The three fields, each "" when absent or null, as Go leaves a struct's strings. */
    private record DockerLine(String log, String stream, String time) {
    }

    @Override
    boolean apply(ProcessEntry e) {
        DockerLine d = read(e.line);
        if (d == null || d.log().isEmpty()) {
            return true;
        }
        e.extracted.put("output", d.log());
        e.extracted.put("stream", d.stream());
        e.extracted.put("timestamp", d.time());
        e.line = d.log();
        e.labels.set("stream", d.stream());
        try {
            e.timestampNanos = GoTime.parse(RFC3339_NANO, d.time(), null);
        } catch (IllegalArgumentException | ArithmeticException keepTime) {
            // Alloy keeps the entry's time when the docker time does not read
        }
        return true;
    }

    /** The fields of one JSON object, or null when the line is not one or a field is not a string. */
    private static DockerLine read(String line) {
        String log = "";
        String stream = "";
        String time = "";
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                boolean ours = name.equalsIgnoreCase("log") || name.equalsIgnoreCase("stream") || name.equalsIgnoreCase("time");
                if (!ours || v == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                if (v != JsonToken.VALUE_STRING) {
                    return null; // Go reports the type mismatch and Alloy leaves the line alone
                }
                if (name.equalsIgnoreCase("log")) {
                    log = p.getText();
                } else if (name.equalsIgnoreCase("stream")) {
                    stream = p.getText();
                } else {
                    time = p.getText();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException notJson) {
            return null;
        }
        return new DockerLine(log, stream, time);
    }
}
