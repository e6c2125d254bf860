package io.caravan.logs;

import java.time.Instant;

/**
 * Read-time timestamps that strictly increase per file: Loki drops a second entry with the same timestamp and
 * the same line in a stream, so two equal lines read together must not get the same nanosecond.
 */
public final class ReadClock {

    private long last;

    public long next() {
        Instant now = Instant.now();
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        last = Math.max(t, last + 1);
        return last;
    }
}
