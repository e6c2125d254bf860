package io.caravan.logs.pods;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Docker's json-file log driver: {@code {"log":"hello\n","stream":"stdout","time":"2024-01-01T00:00:00.1Z"}}.
 * A "log" value without its final newline is a piece of a longer line (docker splits at 16 KiB). Read with
 * Jackson's streaming parser: no tree per line.
 */
public final class DockerJsonParser {

    private static final JsonFactory JSON = new JsonFactory();

    private DockerJsonParser() {
    }

    /** The parsed line, or null when it is not a docker JSON log line. */
    public static ContainerLine parse(String line) {
        String log = null;
        String stream = null;
        String time = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    switch (name) {
                        case "log" -> log = p.getText();
                        case "stream" -> stream = p.getText();
                        case "time" -> time = p.getText();
                        default -> {
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (log == null || time == null) {
            return null;
        }
        long ts = Rfc3339.parseNanos(time, 0, time.length());
        if (ts == Rfc3339.INVALID) {
            return null;
        }
        boolean partial = !log.endsWith("\n");
        String content = partial ? log : log.substring(0, log.length() - (log.endsWith("\r\n") ? 2 : 1));
        String s = ContainerLine.STDERR.equals(stream) ? ContainerLine.STDERR : ContainerLine.STDOUT;
        return new ContainerLine(ts, s, partial, content);
    }
}
