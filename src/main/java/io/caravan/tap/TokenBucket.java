package io.caravan.tap;

import java.util.function.LongSupplier;

/**
 * A tap's rate limit: up to {@code perSecond} items a second, with a burst of one second's worth (a scrape's samples
 * arrive at once, then nothing until the next). Time comes from the clock it is given, so a test can move it. Not
 * thread-safe: its tap holds its lock while taking.
 */
final class TokenBucket {

    private final double perSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a rate of at least 1 item a second, not " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.tokens = perSecond;
        this.last = nanoClock.getAsLong();
    }

    /** Takes up to {@code want} items' worth and returns how many it gave (0 when the second's share is spent). */
    int take(int want) {
        long now = nanoClock.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1e9);
        last = now;
        int got = (int) Math.min(want, Math.floor(tokens));
        tokens -= got;
        return Math.max(got, 0);
    }
}
