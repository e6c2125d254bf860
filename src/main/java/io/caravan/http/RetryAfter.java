package io.caravan.http;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** A receiver's Retry-After header (RFC 9110: delta-seconds or an HTTP-date) as a wait in milliseconds. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the header asks for; 0 when it is absent, in the past or unreadable. */
    public static long millis(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String h = header.trim();
        try {
            return Math.max(0, Long.parseLong(h) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException unreadable) {
                return 0;
            }
        }
    }
}
