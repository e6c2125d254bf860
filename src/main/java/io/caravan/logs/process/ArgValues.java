package io.caravan.logs.process;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.caravan.model.Durations;

import java.io.IOException;
import java.time.Duration;

/**
 * The value syntaxes of Alloy's stage arguments that Jackson does not know: durations ("1h", "90s") and byte
 * sizes in base 2 ("256KB"). A value that does not read is an IllegalArgumentException naming the argument,
 * which the stage file reports at the argument's line.
 */
final class ArgValues {

    private ArgValues() {
    }

    /** A Prometheus/Go duration; empty or "0" is zero (the argument is off). */
    static final class GoDuration extends StdScalarDeserializer<Duration> {

        GoDuration() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                throw new IllegalArgumentException("'" + p.currentName() + "' must be a duration like 1h or 30s, found " + shape(p));
            }
            String text = p.getText().trim();
            return text.isEmpty() ? Duration.ZERO : Duration.ofMillis(Durations.parseMillis(p.currentName(), text));
        }
    }

    /** Alloy's byte sizes (units.Base2Bytes): 1024, "1KB" or "1KiB" = 1024, "1MB" = 1 MiB; empty is 0. */
    static final class Bytes extends StdScalarDeserializer<Long> {

        Bytes() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                throw new IllegalArgumentException("'" + p.currentName() + "' must be a size like 256KB, found " + shape(p));
            }
            String text = p.getText().trim();
            return text.isEmpty() ? 0L : parseBytes(p.currentName(), text);
        }
    }

    private static String shape(JsonParser p) {
        return p.currentToken() == JsonToken.START_ARRAY ? "a list" : "a mapping";
    }

    static long parseBytes(String name, String v) {
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + name + "' must be a size like 256KB, found '" + v + "'");
        }
        double n;
        try {
            n = Double.parseDouble(v.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a size like 256KB, found '" + v + "'");
        }
        String unit = v.substring(i).trim().toUpperCase();
        long mult = switch (unit) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            case "T", "TB", "TIB" -> 1L << 40;
            default -> throw new IllegalArgumentException("'" + name + "' has an unknown unit '" + v.substring(i) + "'; use B, KB, MB or GB");
        };
        return (long) (n * mult);
    }
}
