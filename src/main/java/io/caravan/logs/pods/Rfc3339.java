package io.caravan.logs.pods;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps with up to nine fraction digits, as the kubelet and the container runtimes write them.
 * The usual form ({@code 2024-01-01T00:00:00.123456789Z}) is parsed by hand because it starts every container
 * log line; anything else (an offset instead of Z) goes through java.time.
 */
public final class Rfc3339 {

    public static final long INVALID = Long.MIN_VALUE;

    private Rfc3339() {
    }

    /** Nanoseconds since the epoch of {@code s[from, to)}, or {@link #INVALID}. */
    public static long parseNanos(CharSequence s, int from, int to) {
        int len = to - from;
        if (len < 20 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
                || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':') {
            return slow(s, from, to);
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        int i = from + 19;
        long nanos = 0;
        if (i < to && s.charAt(i) == '.') {
            i++;
            int n = 0;
            while (i < to && n < 9 && Character.isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
                n++;
            }
            if (n == 0) {
                return INVALID;
            }
            while (n < 9) {
                nanos *= 10;
                n++;
            }
        }
        if (i != to - 1 || s.charAt(i) != 'Z') {
            return slow(s, from, to);
        }
        long days = daysFromCivil(year, month, day);
        long secs = days * 86_400L + hour * 3600L + minute * 60L + second;
        return secs * 1_000_000_000L + nanos;
    }

    private static long slow(CharSequence s, int from, int to) {
        try {
            Instant t = OffsetDateTime.parse(s.subSequence(from, to)).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    private static int digits(CharSequence s, int at, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(at + i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Whole seconds in RFC 3339, as the API's sinceTime takes them (it has second precision). */
    public static String formatSeconds(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).toString();
    }
}
